using RlTrainer.Rollout.Model;
using RlTrainer.Trainer.Checkpoints;
using RlTrainer.Trainer.Data.Generation;
using RlTrainer.Trainer.Training;
using static RlTrainer.Trainer.Tests.Cli.InProcessCli;
using static TorchSharp.torch;
using RlTrainer.Trainer.Contracts;

namespace RlTrainer.Trainer.Tests.Training;

/// <summary>NaN/inf in a reward or in the loss: the run stops, keeps or writes the last good step, and says which step.</summary>
[Collection("serial")] // whole training runs
public sealed class NonFiniteValueExceptionTests
{
    private static RolloutSample Sample(double reward, params double?[] components) =>
        new() { Group = 0, PromptIds = [1], CompletionIds = [2], BehaviourLogProbs = [-0.5f], Reward = reward, Components = components, DataSource = "arith" };

    private static RolloutBatch Batch(params RolloutSample[] samples) =>
        new() { Samples = samples, GroupSize = samples.Length, ComponentNames = ["acc", "len"] };

    [Fact]
    public void Rewards_NaNTotalOfAnUnscorableCompletion_IsNotAnError() =>
        NonFiniteValueException.ThrowIfRewardsNotFinite(Batch(Sample(1, 1, 0.5), Sample(double.NaN, null, null)), 3);

    [Fact]
    public void Rewards_InfiniteTotal_NamesStepAndCompletion()
    {
        var e = Assert.Throws<NonFiniteValueException>(() =>
            NonFiniteValueException.ThrowIfRewardsNotFinite(Batch(Sample(1, 1, 0), Sample(double.NegativeInfinity, 1, 0)), 3));
        Assert.Equal("step 3: the reward of completion 1 (prompt 0) is -inf", e.Message);
        Assert.True(e.WeightsIntact);
    }

    [Fact]
    public void Rewards_NaNComponent_NamesTheComponent()
    {
        var e = Assert.Throws<NonFiniteValueException>(() =>
            NonFiniteValueException.ThrowIfRewardsNotFinite(Batch(Sample(1, 1, double.NaN)), 7));
        Assert.Equal("step 7: reward component 'len' of completion 0 (prompt 0) is NaN", e.Message);
    }

    [Fact]
    public async Task InfiniteRewardAtStep2_StopsWithTheCheckpointOfStep1()
    {
        using var run = new TinyRun(maxSteps: 4, checkpointEvery: 0);
        // Rows 0-1 come from source "a", rows 2-3 from "b"; unshuffled, step 1 draws a's and step 2 b's. The reward
        // mix scores only b, with weights so large that the sum of two components overflows to +inf.
        var rows = ArithmeticProblemGenerator.Generate(4, 1, 5).Train.Select((r, i) => r with { DataSource = i < 2 ? "a" : "b" }).ToList();
        var data = Path.Combine(run.Dir, "ab.parquet");
        await VerlParquetWriter.WriteAsync(data, rows);
        var rewards = Path.Combine(run.Dir, "inf.json");
        File.WriteAllText(rewards, """
            { "components": [
              { "name": "short_a", "type": "brevity", "weight": 1e308, "options": { "max_completion_tokens": 1000 }, "data_sources": ["b"] },
              { "name": "short_b", "type": "brevity", "weight": 1e308, "options": { "max_completion_tokens": 1000 }, "data_sources": ["b"] } ] }
            """);

        var result = Run("train", "--config", run.ConfigPath, $"--Data:Files:0={data}", "--Data:Shuffle=false",
            "--Data:HeldOutFraction=0", $"--Rewards:File={rewards}");

        var step1 = Path.Combine(run.RunDir, "checkpoints", "step-000001");
        AssertError(result, 1, "error: step 2: the reward of completion 0 (prompt 0) is +inf; training stopped; " +
                               $"checkpoint {step1} holds the last good step (1).");
        Assert.Equal(new[] { step1 }, new CheckpointManager(run.RunDir, 10).List());
        Assert.Equal(1, CheckpointManager.LoadState(step1).Step);
        Assert.Single(run.MetricsLines());
    }

    [Fact]
    public void NaNLoss_StopsAtStep1_WithoutACheckpoint()
    {
        using var run = new TinyRun(maxSteps: 2, checkpointEvery: 0);
        // A reference whose weights are all NaN: its log-probs, and so the KL term of the loss, are NaN.
        var reference = Path.Combine(run.Dir, "nan-reference");
        using (var m = HfModelFolder.Load(run.ModelDir, ComputeDevice.Cpu))
        {
            using (no_grad()) foreach (var p in m.parameters()) p.fill_(double.NaN);
            HfModelFolder.Save(m, reference, run.ModelDir);
        }

        var result = Run("train", "--config", run.ConfigPath, "--Algorithm:Kind=Grpo", "--Algorithm:Grpo:Beta=0.04",
            $"--Model:ReferencePath={reference}");

        AssertError(result, 1, "error: step 1: the loss (pass 1, micro-batch 1) is NaN; training stopped; " +
                               "no step had finished, so there is no checkpoint.");
        Assert.Empty(new CheckpointManager(run.RunDir, 10).List());
    }
}
