using RlTrainer.Rollout.Model;
using RlTrainer.Trainer.Hosting;
using RlTrainer.Trainer.Objectives;
using RlTrainer.Trainer.Optimization;
using RlTrainer.Trainer.Training;
using static TorchSharp.torch;

namespace RlTrainer.Trainer.Tests.Training;

public class PolicyUpdateTests
{
    // One group of four: the last completion hit the length limit (3 tokens), the others ended (2 tokens each).
    private static readonly RolloutBatch Batch = new(
        Enumerable.Range(0, 4).Select(i => new RolloutSample(0, [1, 2], i == 3 ? [3, 4, 5] : [3, 4],
            i == 3 ? [-1f, -1f, -1f] : [-1f, -1f], i == 3, i % 2, [], i % 2 == 1, "arith")).ToList(),
        4, [], 0, 0, 0, 0);

    /// (tokens that entered the loss over all passes, L2 distance the weights moved) of one step.
    private static (long Tokens, double Moved) Step(TrainingOptions training)
    {
        random.manual_seed(0);
        using var policy = new CausalLm(new ModelConfig
        {
            ModelType = "qwen2", VocabSize = 16, HiddenSize = 8, IntermediateSize = 16, NumHiddenLayers = 1,
            NumAttentionHeads = 2, NumKeyValueHeads = 1, HeadDim = 4, TieWordEmbeddings = true,
        }, ComputeDevice.Cpu);
        var optimizer = new OptimizerOptions { LearningRate = 1e-2, WarmupSteps = 0 };
        using var adam = AdamWFactory.Create(policy.parameters(), optimizer);
        var objective = PolicyObjectiveFactory.Create(new ObjectiveOptions(), new EssOptions(), new GrpoOptions());
        var update = new PolicyUpdate(policy, null, objective, adam, optimizer, training, new GroupAdvantageOptions(),
            new RolloutOptions { GroupSize = 4, MaxNewTokens = 3 }, reuseBehaviourAsOld: true);
        using var before = cat(policy.parameters().Select(p => p.detach().flatten()).ToList(), 0).clone();
        var stats = update.Run(Batch, 0, 1);
        using var after = cat(policy.parameters().Select(p => p.detach().flatten()).ToList(), 0);
        using var moved = (after - before).norm();
        return (stats.TrainedTokens, moved.item<float>());
    }

    [Fact]
    public void NumIterations_IsOneOptimizerStepPerPass()
    {
        var one = Step(new TrainingOptions());
        var two = Step(new TrainingOptions { NumIterations = 2 });
        Assert.Equal((9L, 18L), (one.Tokens, two.Tokens));
        Assert.True(two.Moved > one.Moved * 1.2, $"two passes moved {two.Moved}, one {one.Moved}");
    }

    [Fact]
    public void MaskTruncatedCompletions_LeavesTheTruncatedCompletionOutOfTheLoss()
    {
        var all = Step(new TrainingOptions());
        var masked = Step(new TrainingOptions { MaskTruncatedCompletions = true });
        Assert.Equal((9L, 6L), (all.Tokens, masked.Tokens));
        Assert.NotEqual(all.Moved, masked.Moved);
    }
}
