using Microsoft.Extensions.Options;
using RlTrainer.Rollout.Pruning;
using RlTrainer.Trainer.Engines;
using RlTrainer.Trainer.Hosting;
using RlTrainer.Trainer.Replay;
using RlTrainer.Trainer.Training;

namespace RlTrainer.Trainer.Tests.Hosting;

public sealed class AsyncRolloutValidatorTests
{
    private static ValidateOptionsResult Validate(int k, RolloutEngineKind kind = RolloutEngineKind.Local, bool pruning = false, int sources = 0) =>
        new AsyncRolloutValidator(Options.Create(new RolloutEngineOptions { Kind = kind }), Options.Create(new PruningOptions { Enabled = pruning }),
                Options.Create(new ReplayOptions { Sources = Enumerable.Range(0, sources).Select(_ => new ReplaySourceOptions()).ToList() }))
            .Validate(null, new TrainingOptions { OutputDir = "x", MaxStaleness = k });

    [Fact]
    public void AsyncWithARemoteEngine_PruningOrReplay_FailsNamingTheKeys()
    {
        var failures = Validate(2, RolloutEngineKind.Remote, pruning: true, sources: 1).Failures!.ToList();
        Assert.Equal(3, failures.Count);
        Assert.Contains("Training:MaxStaleness=2", failures[0]);
        Assert.Contains("RolloutEngine:Kind is Remote", failures[0]);
        Assert.Contains("Pruning:Enabled is true", failures[1]);
        Assert.Contains("Replay:Sources lists 1", failures[2]);
    }

    [Fact]
    public void TheSynchronousLoop_OrAsyncOnTheBuiltInSampler_Passes()
    {
        Assert.True(Validate(0, RolloutEngineKind.Remote, pruning: true, sources: 1).Succeeded);
        Assert.True(Validate(3).Succeeded);
    }
}
