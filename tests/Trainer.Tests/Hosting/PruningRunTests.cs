using System.Text.Json.Nodes;
using Microsoft.Extensions.Hosting;
using RlTrainer.Trainer.Cli;
using RlTrainer.Trainer.Pruning;
using RlTrainer.Trainer.Tests.Training;

namespace RlTrainer.Trainer.Tests.Hosting;

[Collection("serial")]
public class PruningRunTests
{
    [Fact]
    public void PrunedRun_LogsRollouts_WritesAccounting_AndResumesExactly()
    {
        string[] pruning = ["--Pruning:Enabled=true", "--Pruning:GroupAbort:CheckEvery=2", "--Pruning:Repetition:Window=2", "--Pruning:Repetition:MinRepeats=2"];
        using var straight = new TinyRun(maxSteps: 4);
        var log = Path.Combine(straight.Dir, "rollouts.jsonl");
        Assert.Equal(0, straight.Train([.. pruning, $"--Pruning:LogFile={log}"]));
        using var split = new TinyRun(maxSteps: 4);
        Assert.Equal(0, split.Train([.. pruning, "--Training:MaxSteps=2"]));
        Assert.Equal(0, split.Train([.. pruning, "--Checkpoint:Resume=latest"]));
        Assert.Equal(straight.DeterministicMetrics(), split.DeterministicMetrics());

        var lines = straight.MetricsLines();
        var last = lines[^1];
        double sampled = lines.Sum(l => l["rollout/sampled_tokens"]!.GetValue<double>());
        Assert.Equal(sampled, last["rollout/cum_sampled_tokens"]!.GetValue<double>());
        Assert.True(last["rollout/slot_steps"]!.GetValue<double>() >= last["rollout/sampled_tokens"]!.GetValue<double>());

        var records = RolloutLogWriter.Read(log).ToList();
        Assert.Equal(4 * 2 * 4, records.Count);                     // 4 steps × 2 prompts × G = 4, no dynamic sampling
        Assert.All(records, r => Assert.Equal(r.Completion, string.Concat(r.Pieces)));
        // Every logged row's stop reason is counted in the step metrics.
        foreach (var reason in records.Select(r => r.StopReason).Distinct())
            Assert.Equal(lines.Sum(l => l[$"pruning/stop/{reason}"]!.GetValue<double>()), records.Count(r => r.StopReason == reason));
    }
}
