using Microsoft.Extensions.Options;
using RlTrainer.Trainer.Data;
using RlTrainer.Trainer.Hosting;
using RlTrainer.Trainer.Training;

namespace RlTrainer.Trainer.Tests.Hosting;

public sealed class HypervolumeHeldOutValidatorTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("hv-").FullName;
    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string HypervolumeRewardFile()
    {
        var path = Path.Combine(_dir, "rewards.json");
        File.WriteAllText(path, """
            { "components": [ { "name": "accuracy", "type": "math_accuracy" }, { "name": "brevity", "type": "brevity", "weight": 0.5 } ],
              "weighting": "hypervolume",
              "hypervolume": { "tracked": [ { "name": "accuracy", "direction": "maximize" }, { "name": "brevity", "direction": "maximize" } ] } }
            """);
        return path;
    }

    private static ValidateOptionsResult Validate(string? rewardFile, DataOptions data) =>
        new HypervolumeHeldOutValidator(Options.Create(new RewardsOptions { File = rewardFile })).Validate(null, data);

    [Fact]
    public void HypervolumeWithNothingHeldOut_FailsNamingTheFileAndTheDataKeys()
    {
        var file = HypervolumeRewardFile();
        var result = Validate(file, new DataOptions { Files = ["train.parquet"] });
        Assert.Equal([$"Rewards:File = '{file}': \"weighting\": \"hypervolume\" needs a held-out set for its validation points: " +
                      "set Data:HeldOutFiles or Data:HeldOutFraction."], result.Failures);
    }

    [Fact]
    public void HypervolumeWithAHeldOutSet_OrTheDefaultMix_Passes()
    {
        var file = HypervolumeRewardFile();
        Assert.True(Validate(file, new DataOptions { HeldOutFraction = 0.1 }).Succeeded);
        Assert.True(Validate(file, new DataOptions { HeldOutFiles = ["test.parquet"] }).Succeeded);
        Assert.True(Validate(null, new DataOptions()).Succeeded);
    }
}
