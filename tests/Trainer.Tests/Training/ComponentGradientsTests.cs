using RlTrainer.Rollout.Model;
using RlTrainer.Trainer.Hosting;
using RlTrainer.Trainer.Objectives;
using RlTrainer.Trainer.Optimization;
using RlTrainer.Trainer.Training;
using static TorchSharp.torch;
using RlTrainer.Trainer.Contracts;

namespace RlTrainer.Trainer.Tests.Training;

/// The per-objective gradient pass: the policy-gradient loss is linear in the advantages at ratio 1, so the Gram
/// matrix of advantages a, 2a and −a must be G·[[1, 2, −1], [2, 4, −2], [−1, −2, 1]] with G = ‖g(a)‖².
public class ComponentGradientsTests
{
    [Fact]
    public void Gram_IsBilinearInTheAdvantages_AndLeavesNoGradient()
    {
        manual_seed(0);
        var config = new ModelConfig
        {
            ModelType = "qwen2", VocabSize = 64, HiddenSize = 16, IntermediateSize = 32, NumHiddenLayers = 2,
            NumAttentionHeads = 2, NumKeyValueHeads = 1, HeadDim = 8, TieWordEmbeddings = true,
        };
        using var model = new CausalLm(config, ComputeDevice.Cpu);
        ModelInitializer.Randomize(model, 3, 0.1);
        var rollout = new RolloutOptions { PromptsPerStep = 1, GroupSize = 4, MaxNewTokens = 3, BatchSize = 4 };
        var training = new TrainingOptions { OutputDir = "unused", MicroBatchSize = 3 };
        var optimizer = new OptimizerOptions();
        var objective = PolicyObjectiveFactory.Create(new ObjectiveOptions { Kind = ObjectiveKind.Grpo }, new EssOptions(), new GrpoOptions());
        var gradients = new ComponentGradients(new PolicyLoss(model, null, objective, training, rollout), training);
        var samples = Enumerable.Range(0, 4).Select(i => new RolloutSample
        {
            Group = 0, PromptIds = [1, 2], CompletionIds = [3 + i, 7, 9 - i], BehaviourLogProbs = [-1f, -1f, -1f], Reward = 0,
            Components = [0], DataSource = "s",
        }).ToList();
        var batch = new RolloutBatch { Samples = samples, GroupSize = 4, ComponentNames = ["r"] };
        double[] a = { 1.5, -0.5, -0.5, -0.5 };

        var result = gradients.Gram(batch, new[] { a, a.Select(x => 2 * x).ToArray(), a.Select(x => -x).ToArray() },
            maxGradNorm: 0, targetLayers: null);
        double g = result.Gram[0, 0];
        Assert.True(g > 0);
        double[,] factor = { { 1, 2, -1 }, { 2, 4, -2 }, { -1, -2, 1 } };
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 3; j++) Assert.Equal(factor[i, j] * g, result.Gram[i, j], 1e-6 * g);
        Assert.Equal(Math.Sqrt(g), result.Norms[0], 1e-6 * Math.Sqrt(g));
        Assert.All(model.parameters(), p => Assert.True(p.grad is null || p.grad.abs().max().item<float>() == 0));

        // Clipped to norm 0.1: every entry scales by (0.1/‖g_k‖)(0.1/‖g_j‖), so all become ±0.01.
        var clipped = gradients.Gram(batch, new[] { a, a.Select(x => 2 * x).ToArray() }, maxGradNorm: 0.1, targetLayers: null);
        Assert.Equal(0.01, clipped.Gram[0, 1], 1e-6);
        // One layer only: a strict part of the gradient.
        var layer1 = gradients.Gram(batch, new[] { a }, 0, new[] { 1 });
        Assert.InRange(layer1.Gram[0, 0], 1e-30, g * (1 - 1e-9));
    }
}
