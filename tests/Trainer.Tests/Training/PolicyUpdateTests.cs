using RlTrainer.Rollout.Model;
using RlTrainer.Trainer.Hosting;
using RlTrainer.Trainer.Objectives;
using RlTrainer.Trainer.Optimization;
using RlTrainer.Trainer.Training;
using static TorchSharp.torch;
using RlTrainer.Trainer.Contracts;

namespace RlTrainer.Trainer.Tests.Training;

public class PolicyUpdateTests
{
    // One group of four: the last completion hit the length limit (3 tokens), the others ended (2 tokens each).
    private static readonly RolloutBatch Batch = new()
    {
        Samples = Enumerable.Range(0, 4).Select(i => new RolloutSample
        {
            Group = 0, PromptIds = [1, 2], CompletionIds = i == 3 ? [3, 4, 5] : [3, 4],
            BehaviourLogProbs = i == 3 ? [-1f, -1f, -1f] : [-1f, -1f], Truncated = i == 3, Reward = i % 2,
            Correct = i % 2 == 1, DataSource = "arith",
        }).ToList(),
        GroupSize = 4,
    };

    /// (tokens that entered the loss over all passes, L2 distance the weights moved) of one step.
    private static (long Tokens, double Moved) Step(TrainingOptions training)
    {
        random.manual_seed(0);
        using var policy = TinyPolicy();
        var update = Update(policy, training);
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

    private static CausalLm TinyPolicy() => new(new ModelConfig
    {
        ModelType = "qwen2", VocabSize = 64, HiddenSize = 16, IntermediateSize = 32, NumHiddenLayers = 1,
        NumAttentionHeads = 2, NumKeyValueHeads = 1, HeadDim = 8, TieWordEmbeddings = true,
    }, ComputeDevice.Cpu);

    private static PolicyLoss Loss(CausalLm policy, TrainingOptions training) =>
        new(policy, null, PolicyObjectiveFactory.Create(new ObjectiveOptions(), new EssOptions(), new GrpoOptions()), training, new RolloutOptions());

    private static PolicyUpdate Update(CausalLm policy, TrainingOptions training) =>
        new(Loss(policy, training), new AdvantageEstimator(new GroupAdvantageOptions()), AdamWFactory.Create(policy.parameters(), new OptimizerOptions()),
            new OptimizerOptions(), training);

    [Fact]
    public void InjectedTokens_GetLossMaskZero_AndLeaveTheTokenCount()
    {
        using var policy = TinyPolicy();
        var loss = Loss(policy, new TrainingOptions());
        var pruned = new RolloutSample
        {
            Group = 0, PromptIds = [1, 2], CompletionIds = [3, 4, 5, 6, 7], BehaviourLogProbs = [0f, 0f, 0f, 0f, 0f], Reward = 1,
            Correct = true, DataSource = "arith",
            LossMask = [true, false, false, true, true],     // tokens 4 and 5 were injected
        };
        var plain = new RolloutSample { Group = 0, PromptIds = [1, 2, 9], CompletionIds = [3, 4], BehaviourLogProbs = [0f, 0f], Reward = 0, DataSource = "arith" };
        using var scope = NewDisposeScope();
        var (_, _, mask, _) = loss.Collate([pruned, plain], CPU);
        // Row 0: prompt of 2, so completion token j is predicted at position 1 + j.
        Assert.Equal(new float[] { 0, 1, 0, 0, 1, 1 }, mask[0].data<float>().ToArray());
        Assert.Equal(new float[] { 0, 0, 1, 1, 0, 0 }, mask[1].data<float>().ToArray());
        Assert.Equal(3, pruned.TrainedTokens(maskTruncated: false));
    }

    [Fact]
    public void MaskTruncatedCompletions_DropsTruncatedRowsFromTheLossAndTheCount()
    {
        var cut = new RolloutSample { Group = 0, PromptIds = [1, 2], CompletionIds = [3, 4, 5], BehaviourLogProbs = [0f, 0f, 0f], Truncated = true, Reward = 1, Correct = true, DataSource = "arith" };
        var ended = new RolloutSample { Group = 0, PromptIds = [1, 2], CompletionIds = [3, 4], BehaviourLogProbs = [0f, 0f], Reward = 0, DataSource = "arith" };
        Assert.Equal((3, 0), (cut.TrainedTokens(maskTruncated: false), cut.TrainedTokens(maskTruncated: true)));
        Assert.Equal(2, ended.TrainedTokens(maskTruncated: true));
        using var policy = TinyPolicy();
        using var scope = NewDisposeScope();
        float[] Mask(bool maskTruncated, int row) =>
            Loss(policy, new TrainingOptions { MaskTruncatedCompletions = maskTruncated }).Collate([cut, ended], CPU).CompletionMask[row].data<float>().ToArray();
        Assert.Equal(new float[] { 0, 1, 1, 1 }, Mask(false, 0));
        Assert.Equal(new float[] { 0, 0, 0, 0 }, Mask(true, 0));
        Assert.Equal(new float[] { 0, 1, 1, 0 }, Mask(true, 1));
    }
}
