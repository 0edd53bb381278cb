using Microsoft.Extensions.Options;
using RlTrainer.Trainer.Engines;
using RlTrainer.Trainer.Hosting;
using RlTrainer.Trainer.Training;

namespace RlTrainer.Trainer.Tests.Hosting;

public sealed class LoraSyncValidatorTests
{
    public const string WithoutLora = "RolloutEngine:LoraSync=Adapter sends the engines the policy's LoRA adapter, but Model:Lora:Enabled is false: " +
                                      "enable LoRA, or set RolloutEngine:LoraSync=Merged.";

    private static RolloutEngineOptions Remote(LoraSyncMode mode) =>
        new() { Kind = RolloutEngineKind.Remote, Urls = ["http://127.0.0.1:9"], LoraSync = mode };

    private static ValidateOptionsResult Validate(RolloutEngineOptions engine, bool lora) =>
        new LoraSyncValidator(Options.Create(new LoraOptions { Enabled = lora })).Validate(null, engine);

    [Fact]
    public void AdapterSyncWithoutLora_FailsNamingBothKeys()
    {
        Assert.Equal([WithoutLora], Validate(Remote(LoraSyncMode.Adapter), lora: false).Failures);
    }

    [Fact]
    public void AdapterSyncWithTheBuiltInSampler_OrWithoutSync_Fails()
    {
        var local = Remote(LoraSyncMode.Adapter);
        local.Kind = RolloutEngineKind.Local;
        Assert.Contains("RolloutEngine:Kind is Local", Assert.Single(Validate(local, lora: true).Failures!));
        var unsynced = Remote(LoraSyncMode.Adapter);
        unsynced.SyncWeights = false;
        Assert.Contains("RolloutEngine:SyncWeights is false", Assert.Single(Validate(unsynced, lora: true).Failures!));
    }

    [Fact]
    public void AdapterSyncOfALoraPolicy_OrMergedSync_Passes()
    {
        Assert.True(Validate(Remote(LoraSyncMode.Adapter), lora: true).Succeeded);
        Assert.True(Validate(Remote(LoraSyncMode.Merged), lora: false).Succeeded);
        Assert.True(Validate(new RolloutEngineOptions(), lora: false).Succeeded);
    }
}
