using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using RlTrainer.Trainer.Checkpoints;
using RlTrainer.Trainer.Cli;
using RlTrainer.Trainer.Data;
using RlTrainer.Trainer.Hosting;
using RlTrainer.Trainer.Reporting;

namespace RlTrainer.Trainer.Tests.Training;

/// Whole tiny runs with Training:MaxStaleness (TinyRun: 2 prompts a step, no dynamic sampling, so the cursor after
/// step s is 2·s on a data set far larger than the runs).
[Collection("serial")]
public sealed class AsyncRolloutsTests
{
    private static List<string> WithoutAsyncKeys(IEnumerable<string> lines) => lines.Select(l =>
    {
        var o = JsonNode.Parse(l)!.AsObject();
        foreach (var k in o.Select(kv => kv.Key).Where(k => k.StartsWith("staleness/") || k.StartsWith("async/")).ToList()) o.Remove(k);
        return o.ToJsonString();
    }).ToList();

    private static void AssertCursorsAreTheTrainedBatches(TinyRun run)
    {
        var checkpoints = new CheckpointManager(run.RunDir, 10).List();
        Assert.NotEmpty(checkpoints);
        foreach (var state in checkpoints.Select(CheckpointManager.LoadState))   // trainer_state.json of each
            Assert.Equal(new SamplerCursor(0, 2 * state.Step), state.Cursor);
    }

    [Fact]
    public void MaxStalenessZero_IsTheSynchronousLoop_WithTheSameMetrics()
    {
        using var plain = new TinyRun(maxSteps: 3);
        Assert.Equal(0, plain.Train());
        using var zero = new TinyRun(maxSteps: 3);
        Assert.Equal(0, zero.Train("--Training:MaxStaleness=0"));
        Assert.Equal(plain.DeterministicMetrics(), zero.DeterministicMetrics());
        Assert.DoesNotContain(zero.MetricsLines(), l => l.ContainsKey("staleness/mean"));
    }

    [Fact]
    public void OneStepStale_StartsLikeTheSynchronousLoop_TagsVersions_AndSavesTheTrainedCursor()
    {
        using var sync = new TinyRun(maxSteps: 3);
        Assert.Equal(0, sync.Train());
        using var async = new TinyRun(maxSteps: 3);
        Assert.Equal(0, async.Train("--Training:MaxStaleness=1"));

        // Step 1 samples the same prompts with the same seeds and the same version-0 weights, in the producer's copy.
        Assert.Equal(sync.DeterministicMetrics()[0], WithoutAsyncKeys(async.DeterministicMetrics())[0]);
        var lines = async.MetricsLines();
        Assert.Equal(3, lines.Count);
        Assert.Equal(0, lines[0]["staleness/max"]!.GetValue<double>());
        foreach (var l in lines)
        {
            Assert.InRange(l["staleness/max"]!.GetValue<double>(), 0, 1);
            Assert.Equal(0, l["staleness/dropped_samples"]!.GetValue<double>());
            Assert.Equal(8, l["staleness/count_0"]!.GetValue<double>() + l["staleness/count_1"]!.GetValue<double>());
            Assert.True(l.ContainsKey("async/queue_depth") && l.ContainsKey("async/learner_wait_seconds") && l.ContainsKey("async/producer_wait_seconds"));
        }
        // The report charts the staleness and the waits, in the groups "staleness" and "async".
        var report = File.ReadAllText(Path.Combine(async.RunDir, RunReport.FileName));
        Assert.Contains("id=\"group-staleness\"", report);
        Assert.Contains("id=\"group-async\"", report);
        foreach (var key in new[] { "staleness/mean", "staleness/max", "staleness/count_1", "staleness/dropped_samples", "async/learner_wait_seconds", "async/producer_wait_seconds", "async/queue_depth" })
            Assert.Contains($"data-metric=\"{key}\"", report);
        // The producer had sampled ahead; the checkpoints keep the cursor of the last trained batch.
        AssertCursorsAreTheTrainedBatches(async);
        Assert.Equal(0, async.Train("--Training:MaxStaleness=1", "--Checkpoint:Resume=latest", "--Training:MaxSteps=5"));
        Assert.Equal(5, async.MetricsLines().Count);
        AssertCursorsAreTheTrainedBatches(async);
    }

    [Fact]
    public async Task AStop_DropsTheQueue_AndCheckpointsTheLearner_WithItsCursor()
    {
        using var run = new TinyRun(maxSteps: 1000, checkpointEvery: 0);
        using var host = TrainCommand.BuildHost(run.ConfigPath, ["--Training:MaxStaleness=2"]);
        var outcome = host.Services.GetRequiredService<TrainingOutcome>();
        await host.StartAsync();
        bool stopped = false;
        run.WaitForMetricsLines(2, () => stopped, TimeSpan.FromSeconds(120));
        await host.StopAsync();
        stopped = true;
        Assert.Equal(0, outcome.ExitCode);
        var state = CheckpointManager.LoadState(new CheckpointManager(run.RunDir, 10).List()[^1]);
        Assert.InRange(state.Step, 2, 999);
        Assert.Equal(new SamplerCursor(0, 2 * state.Step), state.Cursor);
    }
    [Fact]
    public void DynamicSamplingAndGradientWeighting_WorkTwoStepsStale_AndStartLikeTheSynchronousLoop()
    {
        // Regex rewards give a random model's groups mixed rewards (RewardReweightingResumeTests).
        const string mix = """
            { "components": [ { "name": "digits", "type": "format", "options": { "style": "regex", "pattern": ".*[0-9].*" } },
                              { "name": "vowels", "type": "format", "weight": 0.5, "options": { "style": "regex", "pattern": ".*[aeiou].*" } } ],
              "weighting": "gradient", "gradient": { "regularization": 1e-4 } }
            """;
        string[] Args(TinyRun run, params string[] extra)
        {
            var path = Path.Combine(run.Dir, "rewards.json");
            File.WriteAllText(path, mix);
            return [$"--Rewards:File={path}", "--Algorithm:DynamicSampling:Enabled=true", "--Algorithm:DynamicSampling:MaxGenerationBatches=3", .. extra];
        }
        using var sync = new TinyRun(maxSteps: 4);
        Assert.Equal(0, sync.Train(Args(sync)));
        using var async = new TinyRun(maxSteps: 4);
        Assert.Equal(0, async.Train(Args(async, "--Training:MaxStaleness=2")));

        // Step 1: version 0 in both, the same draws, the same groups kept, the same weighting step.
        Assert.Equal(sync.DeterministicMetrics()[0], WithoutAsyncKeys(async.DeterministicMetrics())[0]);
        var lines = async.MetricsLines();
        Assert.Equal(4, lines.Count);
        Assert.Contains(lines, l => l["staleness/max"]!.GetValue<double>() > 0);
        foreach (var l in lines)
        {
            Assert.InRange(l["staleness/max"]!.GetValue<double>(), 0, 2);
            Assert.NotNull(l["groups/dropped"]);
            Assert.NotNull(l["weights/influence/vowels"]);
        }
        // The weights moved off their start (1, 0.5)/1.5 on the simplex, on stale batches too.
        double digits = lines[^1]["weights/digits"]!.GetValue<double>(), vowels = lines[^1]["weights/vowels"]!.GetValue<double>();
        Assert.Equal(1.0, digits + vowels, 1e-12);
        Assert.NotEqual(2.0 / 3, digits, 1e-6);
    }
}
