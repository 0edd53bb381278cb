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

    private static CausalLm TinyPolicy() => PolicyLossTests.TinyPolicy();

    private static PolicyLoss Loss(CausalLm policy, TrainingOptions training) => PolicyLossTests.Loss(policy, training);

    private static PolicyUpdate Update(CausalLm policy, TrainingOptions training, params IStepExtension[] extensions) =>
        Update(policy, training, new OptimizerOptions(), extensions);

    private static PolicyUpdate Update(CausalLm policy, TrainingOptions training, OptimizerOptions optimizer, params IStepExtension[] extensions) =>
        new(Loss(policy, training), new AdvantageEstimator(new GroupAdvantageOptions()), AdamWFactory.Create(policy.parameters(), optimizer),
            optimizer, training, extensions);

    // Adam's first steps are nearly sign(g)·lr, blind to how samples are scaled; ε = 1 ≫ |g| makes the step follow g.
    private static readonly OptimizerOptions GradientFollowing = new()
    {
        LearningRate = 1e-2, Epsilon = 1.0, MaxGradNorm = 0, Schedule = LrScheduleKind.Constant,
    };

    /// An extension that scales the samples' policy-gradient losses and records the passes it was asked for.
    private sealed class Scaling(params double[] scales) : IStepExtension
    {
        public List<int> Passes { get; } = new();
        public string Name => "scaling";
        public IReadOnlyList<double>? BeginPass(int pass) { Passes.Add(pass); return scales; }
    }

    /// The weights after one step with these extensions, flattened.
    private static float[] Weights(TrainingOptions training, params IStepExtension[] extensions)
    {
        using var policy = TinyPolicy();
        ModelInitializer.Randomize(policy, seed: 7, std: 0.1);   // its own generator: other test classes share torch's
        Update(policy, training, GradientFollowing, extensions).Run(Batch, 0, 1);
        return cat(policy.parameters().Select(p => p.detach().flatten()).ToList(), 0).data<float>().ToArray();
    }

    [Fact]
    public void ExtensionScales_AreAskedForEveryPass_AndMultiply()
    {
        var training = new TrainingOptions { NumIterations = 2 };
        Scaling a = new(1, 2, 0.5, 3), b = new(2, 0.25, 1, 1);
        var both = Weights(training, a, b);
        Assert.Equal([0, 1], a.Passes);
        Assert.Equal([0, 1], b.Passes);
        Assert.Equal(both, Weights(training, new Scaling(2, 0.5, 0.5, 3)));   // (a·b) per sample
        Assert.NotEqual(both, Weights(training, new Scaling(1, 2, 0.5, 3)));  // b is not ignored
        Assert.NotEqual(both, Weights(training));
    }

    [Fact]
    public void ExtensionScales_OfTheWrongLength_AreAnError()
    {
        using var policy = TinyPolicy();
        var e = Assert.Throws<InvalidOperationException>(() => Update(policy, new TrainingOptions(), new Scaling(1, 2)).Run(Batch, 0, 1));
        Assert.Equal("step extension 'scaling' returned 2 sample scales for a batch of 4.", e.Message);
    }
}
