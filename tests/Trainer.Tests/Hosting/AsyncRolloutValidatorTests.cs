using Microsoft.Extensions.Options;
using RlTrainer.Rollout.Pruning;
using RlTrainer.Trainer.Hosting;
using RlTrainer.Trainer.Replay;
using RlTrainer.Trainer.Training;

namespace RlTrainer.Trainer.Tests.Hosting;

public sealed class AsyncRolloutValidatorTests
{
    private static ValidateOptionsResult Validate(int k, bool pruning = false, int sources = 0) =>
        new AsyncRolloutValidator(Options.Create(new PruningOptions { Enabled = pruning }),
                Options.Create(new ReplayOptions { Sources = Enumerable.Range(0, sources).Select(_ => new ReplaySourceOptions()).ToList() }))
            .Validate(null, new TrainingOptions { OutputDir = "x", MaxStaleness = k });

    [Fact]
    public void AsyncWithPruningOrReplay_FailsNamingTheKeys()
    {
        var failures = Validate(2, pruning: true, sources: 1).Failures!.ToList();
        Assert.Equal(2, failures.Count);
        Assert.Contains("Training:MaxStaleness=2", failures[0]);
        Assert.Contains("Pruning:Enabled is true", failures[0]);
        Assert.Contains("Replay:Sources lists 1", failures[1]);
    }

    [Fact]
    public void TheSynchronousLoop_OrAsyncWithoutPruningAndReplay_Passes()
    {
        Assert.True(Validate(0, pruning: true, sources: 1).Succeeded);
        Assert.True(Validate(3).Succeeded);
    }
}
