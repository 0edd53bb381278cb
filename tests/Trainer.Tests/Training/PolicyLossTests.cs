using RlTrainer.Rollout.Model;
using RlTrainer.Trainer.Contracts;
using RlTrainer.Trainer.Objectives;
using RlTrainer.Trainer.Training;
using static TorchSharp.torch;

namespace RlTrainer.Trainer.Tests.Training;

/// The loss sees exactly the trained tokens: the completion mask of the collated micro-batch.
public class PolicyLossTests
{
    /// A one-layer policy over 64 tokens, random at torch's current seed (also the update tests' model).
    internal static CausalLm TinyPolicy() => new(new ModelConfig
    {
        ModelType = "qwen2", VocabSize = 64, HiddenSize = 16, IntermediateSize = 32, NumHiddenLayers = 1,
        NumAttentionHeads = 2, NumKeyValueHeads = 1, HeadDim = 8, TieWordEmbeddings = true,
    }, ComputeDevice.Cpu);

    internal static PolicyLoss Loss(CausalLm policy, TrainingOptions training) =>
        new(policy, null, PolicyObjectiveFactory.Create(new ObjectiveOptions(), new EssOptions(), new GrpoOptions()), training, new RolloutOptions());

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

    [Fact]
    public void KlReference_OfALoraPolicy_IsThePolicyWithItsAdaptersOff_WithoutASecondModel()
    {
        using var policy = TinyPolicy();
        using var reference = TinyPolicy();
        ModelInitializer.Randomize(policy, seed: 5, std: 0.1);
        ModelInitializer.Randomize(reference, seed: 5, std: 0.1);         // the same base weights
        policy.AddLora(new LoraConfig { Rank = 2, Alpha = 4, TargetModules = [LoraConfig.AllLinear] }, seed: 1);
        using (no_grad())
            foreach (var (name, p) in policy.LoraParameters().Where(x => x.PeftName.Contains("lora_B")))
                p.uniform_(-0.3, 0.3);                                       // B ≠ 0: the policy has moved off its base
        var training = new TrainingOptions();
        var grpo = PolicyObjectiveFactory.Create(new ObjectiveOptions { Kind = ObjectiveKind.Grpo }, new EssOptions(), new GrpoOptions { Beta = 0.04 });
        RolloutSample Row(int[] completion) => new()
        {
            Group = 0, PromptIds = [1, 2], CompletionIds = completion, BehaviourLogProbs = completion.Select(_ => -3f).ToArray(), Reward = 0,
        };
        var rows = new[] { Row([3, 4, 5]), Row([6, 7]) };
        double[] advantages = [0.5, -0.5];

        using var scope = NewDisposeScope();
        var adaptersOff = new PolicyLoss(policy, null, grpo, training, new RolloutOptions());
        var separate = new PolicyLoss(policy, reference, grpo, training, new RolloutOptions());
        var a = adaptersOff.MicroBatch(rows, advantages, adaptersOff.NormalizerFor(rows));
        var b = separate.MicroBatch(rows, advantages, separate.NormalizerFor(rows));
        Assert.True(a.Metrics["kl"] > 1e-6, $"kl {a.Metrics["kl"]}: the adapter did not move the policy");
        Assert.Equal(b.Metrics["kl"], a.Metrics["kl"], 6);
        Assert.Equal(b.Loss.item<float>(), a.Loss.item<float>(), 6);
        Assert.NotNull(policy.Lora);                                         // the scope closed: adapters on again
    }
    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    public void GrpoWithOnePass_ClipsAgainstTheSampler_OnlyWhenBatchesMayBeStale(int maxStaleness)
    {
        using var policy = TinyPolicy();
        ModelInitializer.Randomize(policy, seed: 9, std: 0.1);
        var grpo = PolicyObjectiveFactory.Create(new ObjectiveOptions { Kind = ObjectiveKind.Grpo }, new EssOptions(), new GrpoOptions());
        // The sampler gave these tokens log-prob −8 (an older policy): against it the learner's ratios are far above 1 + ε.
        RolloutSample Row(int[] completion) => new()
        {
            Group = 0, PromptIds = [1, 2], CompletionIds = completion, BehaviourLogProbs = completion.Select(_ => -8f).ToArray(), Reward = 0,
        };
        var rows = new[] { Row([3, 4, 5]), Row([6, 7]) };
        var loss = new PolicyLoss(policy, null, grpo, new TrainingOptions { MaxStaleness = maxStaleness }, new RolloutOptions());
        using var scope = NewDisposeScope();
        var r = loss.MicroBatch(rows, [1.0, 1.0], loss.NormalizerFor(rows));
        if (maxStaleness == 0)
        {
            Assert.Equal(1.0, r.Metrics["ratio_mean"], 6);        // on-policy, one pass: the ratio to the detached policy
            Assert.Equal(0.0, r.Metrics["clip_ratio/region_mean"]);
        }
        else
        {
            Assert.True(r.Metrics["ratio_mean"] > 10, $"ratio {r.Metrics["ratio_mean"]}");
            Assert.Equal(1.0, r.Metrics["clip_ratio/region_mean"]); // every token above 1 + ε with A > 0
        }
    }
}
