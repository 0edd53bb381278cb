using RlTrainer.Rewards.Weighting;

namespace RlTrainer.Rewards.Tests.Weighting;

/// Worked example 2 (tools/reference/reweighting_examples_output.txt): toy clipped gradients, η = 1e-6, μ = 1e-5, w from 1/3 each.
public class GradientWeightingTests
{
    private static readonly double[][] G =
    {
        new[] { 0.30, 0.50, -0.20, 0.10 },   // accuracy
        new[] { -0.10, 0.20, 0.40, -0.30 },  // concise
        new[] { 0.25, 0.40, -0.10, 0.05 },   // format
    };

    private static double[,] Gram()
    {
        var gram = new double[3, 3];
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 3; j++) gram[i, j] = G[i].Zip(G[j], (a, b) => a * b).Sum();
        return gram;
    }

    [Fact]
    public void WorkedExample2_InfluenceAndWeights()
    {
        var influence = GradientWeighting.Influence(Gram());
        // By hand: Σg = (0.45, 1.10, 0.10, −0.15); ⟨g_acc, Σg⟩ = 0.135 + 0.55 − 0.02 − 0.015 = 0.65, etc.
        Assert.Equal(new[] { 0.65, 0.26, 0.535 }, influence.Select(x => Math.Round(x, 12)));

        var w = new GradientWeighting(new[] { 1.0, 1.0, 1.0 }, new GradientWeightingOptions { Regularization = 1e-5 });
        Assert.True(w.Accumulate(influence, learningRate: 1e-6));
        // softmax(log(1/3) + 0.1·I), from an independent double-precision evaluation; the output file prints
        // 0.3389 / 0.3260 / 0.3351 and a combined reward of 0.674 for (acc 1, concise 0, format 1).
        Assert.Equal(0.3389466765384932, w.Weights[0], 1e-9);
        Assert.Equal(0.3259822065237, w.Weights[1], 1e-9);
        Assert.Equal(0.3350711169378068, w.Weights[2], 1e-9);
        Assert.Equal(0.674, w.Weights[0] + w.Weights[2], 5e-4);
        Assert.Equal(1.0, w.Weights.Sum(), 1e-12);
    }

    [Fact]
    public void Accumulation_AveragesBeforeTheStep()
    {
        var opts = new GradientWeightingOptions { Regularization = 1.0, AccumulationSteps = 2 };
        var w = new GradientWeighting(new[] { 1.0, 3.0 }, opts);
        Assert.Equal(new[] { 0.25, 0.75 }, w.Weights);
        Assert.False(w.Accumulate(new[] { 1.0, 0.0 }, 1.0));
        Assert.Equal(new[] { 0.25, 0.75 }, w.Weights);
        Assert.True(w.Accumulate(new[] { 3.0, 0.0 }, 1.0));
        // mean I = (2, 0): w ∝ (0.25·e², 0.75).
        double e2 = Math.Exp(2);
        Assert.Equal(0.25 * e2 / (0.25 * e2 + 0.75), w.Weights[0], 1e-12);
        Assert.Equal(0, w.AccumulatedSteps);
    }

    [Fact]
    public void HugeSteps_DoNotOverflow()
    {
        var next = GradientWeighting.MirrorDescentStep(new[] { 0.5, 0.5 }, new[] { 1e6, 0.0 }, 1e6);
        Assert.Equal(1.0, next[0]);
        Assert.Equal(0.0, next[1]);
    }

    [Fact]
    public void OneComponent_IsRejected() =>
        Assert.Throws<ArgumentException>(() => new GradientWeighting(new[] { 1.0 }, new GradientWeightingOptions()));
}
