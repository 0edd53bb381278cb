using Microsoft.Extensions.Options;
using RlTrainer.Rollout.Pruning;
using RlTrainer.Trainer.Engines;
using RlTrainer.Trainer.Hosting;

namespace RlTrainer.Trainer.Tests.Hosting;

public sealed class PruningEngineValidatorTests
{
    public const string Conflict = "Pruning:Enabled=true needs the built-in sampler (its hooks run inside the decode loop), but " +
                                   "RolloutEngine:Kind is Remote: turn one of them off.";

    private static ValidateOptionsResult Validate(bool pruning, RolloutEngineKind kind) =>
        new PruningEngineValidator(Options.Create(new RolloutEngineOptions { Kind = kind })).Validate(null, new PruningOptions { Enabled = pruning });

    [Fact]
    public void PruningWithARemoteEngine_FailsNamingBothKeys()
    {
        Assert.Equal([Conflict], Validate(true, RolloutEngineKind.Remote).Failures);
    }

    [Fact]
    public void PruningWithTheBuiltInSampler_OrARemoteEngineWithoutPruning_Passes()
    {
        Assert.True(Validate(true, RolloutEngineKind.Local).Succeeded);
        Assert.True(Validate(false, RolloutEngineKind.Remote).Succeeded);
    }

    [Fact]
    public void AnInvalidEngineSection_IsSkipped()
    {
        var validator = new PruningEngineValidator(new ThrowingOptions());
        Assert.True(validator.Validate(null, new PruningOptions { Enabled = true }).Skipped);
    }

    /// What IOptions does for a section that fails its own validation.
    private sealed class ThrowingOptions : IOptions<RolloutEngineOptions>
    {
        public RolloutEngineOptions Value =>
            throw new OptionsValidationException(Options.DefaultName, typeof(RolloutEngineOptions), ["RolloutEngine:Urls: bad"]);
    }
}
