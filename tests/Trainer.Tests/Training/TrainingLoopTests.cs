using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using RlTrainer.Trainer.Checkpoints;
using RlTrainer.Trainer.Cli;
using RlTrainer.Trainer.Telemetry;

namespace RlTrainer.Trainer.Tests.Training;

[Collection("serial")]
public class TrainingLoopTests
{
    [Fact]
    public async Task AStopDuringAnEvaluation_EndsWithinSeconds_WithACheckpoint()
    {
        // The random model rarely samples its eos: the step-0 evaluation of 250 problems x (1 greedy + 8 samples) x 512
        // tokens would take minutes.
        using var run = new TinyRun(maxSteps: 3, checkpointEvery: 0);
        using var host = TrainCommand.BuildHost(run.ConfigPath,
            ["--Eval:Enabled=true", "--Data:HeldOutFraction=0.5", "--Eval:K=8", "--Eval:MaxNewTokens=512", "--Eval:BatchSize=16"]);
        await host.StartAsync();
        var heartbeat = host.Services.GetRequiredService<TrainingHeartbeat>();
        var wait = Stopwatch.StartNew();
        while (heartbeat.Read().Phase != TrainingPhase.Evaluating)
        {
            Assert.True(wait.Elapsed < TimeSpan.FromSeconds(60), $"no evaluation began (phase {heartbeat.Read().Phase})");
            await Task.Delay(20);
        }
        await Task.Delay(1000); // well inside the first greedy batch

        var stop = Stopwatch.StartNew();
        await host.StopAsync();
        Assert.True(stop.Elapsed < TimeSpan.FromSeconds(10), $"stopping took {stop.Elapsed.TotalSeconds:F1} s");
        Assert.Equal(TrainingPhase.Stopped, heartbeat.Read().Phase);
        Assert.Empty(run.MetricsLines("eval")); // the evaluation in flight was dropped, not finished
        var last = new CheckpointManager(run.RunDir, 10).List()[^1];
        Assert.Equal(0, CheckpointManager.LoadState(last).Step);
    }
}
