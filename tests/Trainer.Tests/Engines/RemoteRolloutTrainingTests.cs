using System.Diagnostics;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Hosting;
using RlTrainer.Rollout.Model;
using RlTrainer.Trainer.Checkpoints;
using RlTrainer.Trainer.Cli;
using RlTrainer.Trainer.Tests.Training;

namespace RlTrainer.Trainer.Tests.Engines;

/// <summary>
/// Training runs whose rollouts come from two `rltrainer serve` engines on loopback, with weight sync between steps:
/// separate processes for the sync test, in-process hosts (the same InferenceHost) for the failure tests.
/// </summary>
[Collection("serial")] // runs whole training loops
public class RemoteRolloutTrainingTests
{
    private static string[] Remote(string dialect, params IServeEngine[] engines) => new[]
    {
        "--RolloutEngine:Kind=Remote", $"--RolloutEngine:Dialect={dialect}", "--RolloutEngine:RetryBackoffSeconds=0.05",
        "--RolloutEngine:TimeoutSeconds=120", "--Optimizer:WarmupSteps=0", // the first update moves the weights
    }.Concat(engines.Select((e, i) => $"--RolloutEngine:Urls:{i}={e.Url}")).ToArray();

    [Theory]
    [InlineData("Vllm")]
    [InlineData("Sglang")]
    public void SecondStep_SamplesFromTheSyncedWeights_AndServedLogProbsEqualTheTrainers(string dialect)
    {
        using var run = new TinyRun(maxSteps: 3);
        using var a = new ServeProcess(run.ModelDir);
        using var b = new ServeProcess(run.ModelDir);
        // A random model earns no reward, so its gradients are zero: weight decay (10% per step) is what moves the
        // weights here, enough for stale engines to show.
        string[] Args(params string[] extra) => Remote(dialect, a, b).Concat(new[] { "--Optimizer:LearningRate=0.1", "--Optimizer:WeightDecay=1" }).Concat(extra).ToArray();

        // Control without sync: the engines keep the starting weights, so step 2's rollouts are stale and their
        // log-probs drift from the trainer's. This is what the synced run below must not show.
        Assert.Equal(0, run.Train(Args("--RolloutEngine:SyncWeights=false", "--Training:MaxSteps=2")));
        var control = TrainLines(run);
        Assert.True((double)control[0]["remote/logprob_gap_max"]! < 1e-4);
        Assert.Equal(8, (double)control[1]["remote/stale_rollouts"]!);
        Assert.True((double)control[1]["remote/logprob_gap_max"]! > 1e-3, $"control gap {control[1]["remote/logprob_gap_max"]}");

        Assert.Equal(0, run.Train(Args("--Training:Overwrite=true")));
        var lines = TrainLines(run);
        Assert.Equal(3, lines.Count);
        for (int step = 0; step < 3; step++)
        {
            Assert.Equal(step, (double)lines[step]["remote/weight_version"]!);
            Assert.Equal(0, (double)lines[step]["remote/stale_rollouts"]!);      // tags come from the engines' answers
            Assert.True((double)lines[step]["remote/logprob_gap_max"]! < 1e-4, $"step {step + 1}: gap {lines[step]["remote/logprob_gap_max"]}");
            Assert.Equal(0, (double)lines[step]["remote/sync_failures"]!);
        }
        Assert.True(Directory.Exists(Path.Combine(run.RunDir, "engine-weights", "step-000002")));
    }

    [Fact]
    public async Task OneEngineDownMidRun_RolloutsGoToTheOther_AndTheRunFinishes()
    {
        using var run = new TinyRun(maxSteps: 4);
        using var a = new InProcessServe(run.ModelDir);
        using var b = new InProcessServe(run.ModelDir);
        var training = TrainInBackground(run, Remote("Sglang", a, b));
        run.WaitForMetricsLines(1, () => training.IsCompleted, TimeSpan.FromSeconds(180));
        a.Kill();
        Assert.Equal(0, await training);
        var lines = TrainLines(run);
        Assert.Equal(4, lines.Count);
        Assert.Equal(1, (double)lines[^1]["remote/engines_down"]!);
        Assert.True(lines.Skip(1).Sum(l => (double)l["remote/retries"]! + (double)l["remote/sync_failures"]!) >= 1);
        Assert.All(lines, l => Assert.True((double)l["remote/logprob_gap_max"]! < 1e-4));
    }

    [Fact]
    public async Task BothEnginesDown_FailsTheRun_AndKeepsTheCheckpoint()
    {
        using var run = new TinyRun(maxSteps: 1000, checkpointEvery: 0);
        using var a = new InProcessServe(run.ModelDir);
        using var b = new InProcessServe(run.ModelDir);
        var training = TrainInBackground(run, Remote("Vllm", a, b));
        run.WaitForMetricsLines(2, () => training.IsCompleted, TimeSpan.FromSeconds(180));
        a.Kill();
        b.Kill();
        Assert.Equal(1, await training);
        int done = TrainLines(run).Count;
        Assert.True(done < 1000);
        var last = new CheckpointManager(run.RunDir, 10).List()[^1];
        Assert.Equal(done, CheckpointManager.LoadState(last).Step);
        using var m = HfModelFolder.Load(last, ComputeDevice.Cpu);
    }

    // ---- helpers -------------------------------------------------------------------------------------------

    private static List<JsonObject> TrainLines(TinyRun run) => run.MetricsLines();

    private static Task<int> TrainInBackground(TinyRun run, string[] overrides) =>
        Task.Factory.StartNew(() => run.Train(overrides), TaskCreationOptions.LongRunning);
}
