using RlTrainer.Trainer.Objectives;
using TorchSharp;
using static RlTrainer.Trainer.Tests.Objectives.TestTensors;
using static TorchSharp.torch;

namespace RlTrainer.Trainer.Tests.Objectives;

public class EssAdaptiveObjectiveTests
{
    private static ObjectiveResult Run(EssAdaptiveObjective o, Tensor lp, Tensor old, Tensor adv, Tensor mask, long tokens,
        Tensor? refLp = null, Tensor? ent = null) =>
        o.Compute(new PolicyMicroBatch(lp, old, adv, mask) { RefLogProbs = refLp, Entropies = ent }, new LossNormalizer(tokens));

    [Fact]
    public void Compute_SpecToyA_LossGradientAndMetrics()
    {   // tools/reference/test_vectors_output.txt section 4 (toy micro-batch a)
        using var lp = Leaf(new double[,] { { -0.5, -1.0, -2.0, -0.1 } });
        using var old = Mat(new double[,] { { -0.6, -1.0, -3.0, -0.1 } });
        using var adv = Vec(1.0);
        using var mask = ones(1, 4, dtype: ScalarType.Bool);   // a bool mask works like a 0/1 one
        var r = Run(new EssAdaptiveObjective(new EssOptions()), lp, old, adv, mask, 4);
        Assert.Equal(0.737858970, Scalar(r.Loss), 8);
        r.Loss.backward();
        AllClose(new[] { -0.194978243, -0.199759279, -0.168001087, -0.199759279 }, Values(lp.grad!), 1e-8);
        Assert.Equal(0.799037118, r.Metrics[EssAdaptiveObjective.EssMetric], 8);
        Assert.Equal(0.372716859 / 4, r.Metrics[EssAdaptiveObjective.KlBehavioralMetric], 8);
        Assert.Equal(2.876533624 / 4, r.Metrics[EssAdaptiveObjective.PiLossMetric], 8);
        Assert.Equal(0.372716859 / 4, r.Metrics[EssAdaptiveObjective.ApproxKlMetric], 8);   // same k3, no clamp needed here
        Assert.Equal(0.25, r.Metrics[EssAdaptiveObjective.ClipFracMetric], 12);             // only r = e ≈ 2.718 is outside [0.8, 1.2]
        r.Loss.Dispose();
    }

    [Fact]
    public void Compute_SpecToyB_ConcentratedRatios()
    {   // tools/reference/test_vectors_output.txt section 4b: w = [4, .1, .1, .1], A = [+1, −1, +1, −1], as four one-token rows padded with garbage
        double[] lb = { -2, -1, -1, -1 }, w = { 4, 0.1, 0.1, 0.1 };
        using var lp = Leaf(new double[,] { { lb[0] + Math.Log(w[0]), double.NaN }, { lb[1] + Math.Log(w[1]), 0 }, { lb[2] + Math.Log(w[2]), 0 }, { lb[3] + Math.Log(w[3]), 0 } });
        using var old = Mat(new double[,] { { -2, double.NegativeInfinity }, { -1, 0 }, { -1, 0 }, { -1, 0 } });
        using var adv = Vec(1, -1, 1, -1);
        using var mask = Mat(new double[,] { { 1, 0 }, { 1, 0 }, { 1, 0 }, { 1, 0 } });
        var r = Run(new EssAdaptiveObjective(new EssOptions()), lp, old, adv, mask, 4);
        Assert.Equal(3.649463819, Scalar(r.Loss), 8);
        r.Loss.backward();
        AllClose(new[] { 0.061340066, 0, -1.57617748, 0, -1.62617748, 0, -1.57617748, 0 }, Values(lp.grad!), 1e-8);
        Assert.Equal(0.288365564, r.Metrics[EssAdaptiveObjective.EssMetric], 8);
        Assert.Equal(0.0, r.Metrics[EssAdaptiveObjective.NonFiniteTokensMetric]);
        r.Loss.Dispose();
    }

    [Fact]
    public void Compute_NonFiniteLogProbOnMask_IsDroppedFromLossAndDenominator()
    {   // toy (a) plus a fifth mask-on token whose current log-prob is NaN: D = 5 − 1 → same loss as toy (a)
        using var lp = Leaf(new double[,] { { -0.5, -1.0, -2.0, -0.1, double.NaN } });
        using var old = Mat(new double[,] { { -0.6, -1.0, -3.0, -0.1, -1.0 } });
        using var adv = Vec(1.0);
        using var mask = ones(1, 5, dtype: ScalarType.Float64);
        var r = Run(new EssAdaptiveObjective(new EssOptions()), lp, old, adv, mask, 5);
        Assert.Equal(0.737858970, Scalar(r.Loss), 8);
        r.Loss.backward();
        AllClose(new[] { -0.194978243, -0.199759279, -0.168001087, -0.199759279, 0 }, Values(lp.grad!), 1e-8);
        Assert.Equal(1.0, r.Metrics[EssAdaptiveObjective.NonFiniteTokensMetric]);
        Assert.Equal(4.0, r.Metrics[EssAdaptiveObjective.TokensMetric]);
        r.Loss.Dispose();
    }

    [Fact]
    public void Compute_OverflowingRatio_CapsAtOneOverN()
    {   // log-ratios [ln4, ln.1 ×3, 100]: e = 0.2 (not the reference's fallback 1); ρ = [.2, .1, .1, .1, .2];
        // with A = 0 only (1 − e)·Σk3/D remains; k3 for δ = 100 is 100 + e^−10 − 1 (exponent clamped)
        double[] d = { Math.Log(4), Math.Log(0.1), Math.Log(0.1), Math.Log(0.1), 100 };
        using var lp = Leaf(new double[,] { { d[0] - 1, d[1] - 1, d[2] - 1, d[3] - 1, d[4] - 1 } });
        using var old = Mat(new double[,] { { -1, -1, -1, -1, -1 } });
        using var mask = ones(1, 5, dtype: ScalarType.Float64);
        using var zeroAdv = Vec(0.0);
        var r = Run(new EssAdaptiveObjective(new EssOptions()), lp, old, zeroAdv, mask, 5);
        Assert.Equal(0.2, r.Metrics[EssAdaptiveObjective.EssMetric], 9);
        double klSum = d.Sum(x => P3oReference.K3(x, 0));
        Assert.Equal(0.8 * klSum / 5, Scalar(r.Loss), 9);
        r.Loss.backward();
        Assert.Equal(0.8 * 1.0 / 5, Values(lp.grad!)[4], 12);   // clamped exponent: KL gradient (1 − e)·1 / D
        r.Loss.Dispose();
    }

    [Fact]
    public void Compute_Float32OverflowingRatio_StaysFinite()
    {   // in float32 exp(100) = inf; the cap clamps it to e = 0.2 and the loss stays finite
        using var lp = tensor(new float[,] { { (float)Math.Log(4) - 1, (float)Math.Log(0.1) - 1, 99 } }, requires_grad: true);
        using var old = tensor(new float[,] { { -1, -1, -1 } });
        using var mask = ones(1, 3);
        using var adv = tensor(new float[] { 1 });
        var r = Run(new EssAdaptiveObjective(new EssOptions()), lp, old, adv, mask, 3);
        Assert.Equal(1.0 / 3, r.Metrics[EssAdaptiveObjective.EssMetric], 5);   // (Σu)²/(N·Σu²) with u ≈ [0, 0, 1]
        Assert.True(float.IsFinite(r.Loss.item<float>()));
        r.Loss.backward();
        Assert.All(Values(lp.grad!), g => Assert.True(double.IsFinite(g)));
        r.Loss.Dispose();
    }

    [Theory]
    [InlineData(0.0, 0.0)]
    [InlineData(0.05, 0.0)]
    [InlineData(0.0, 0.01)]
    [InlineData(0.1, 0.02)]
    public void Compute_RandomInputs_AutogradMatchesClosedForm(double klCoef, double entCoef)
    {
        var d = RandomBatch.Create(seed: 23, 4, 6, offPolicy: 0.8);
        double denom = d.ValidCount + 5;   // other micro-batches of the step hold 5 more tokens
        var o = new EssAdaptiveObjective(new EssOptions { KlCoefficient = klCoef, EntropyCoefficient = entCoef });
        using var lp = Leaf(d.LogProbs);
        using var ent = Leaf(d.Entropies);
        using var old = Mat(d.OldLogProbs);
        using var refLp = Mat(d.RefLogProbs);
        using var adv = Vec(d.Advantages);
        using var mask = Mat(d.Mask);
        var r = Run(o, lp, old, adv, mask, (long)denom, klCoef > 0 ? refLp : null, entCoef > 0 ? ent : null);
        var (loss, grad, entGrad, ess) = P3oReference.LossAndGradient(d, denom, klCoef, entCoef);
        Assert.Equal(ess, r.Metrics[EssAdaptiveObjective.EssMetric], 12);
        Assert.True(ess < 0.99, $"the data should be off-policy enough to exercise the cap; ESS {ess}");
        Assert.Equal(loss, Scalar(r.Loss), 10);
        r.Loss.backward();
        AllClose(Flat(grad), Values(lp.grad!), 1e-10);
        if (entCoef > 0) AllClose(Flat(entGrad), Values(ent.grad!), 1e-12);
        r.Loss.Dispose();
    }

    [Fact]
    public void Compute_OnPolicy_IsPlainReinforce()
    {   // ℓ^b = ℓ: every r = 1, e = 1, no KL: ∂L/∂ℓ = −A·m/D
        var d = RandomBatch.Create(seed: 2, 3, 4);
        using var lp = Leaf(d.LogProbs);
        using var old = lp.detach();
        using var adv = Vec(d.Advantages);
        using var mask = Mat(d.Mask);
        var r = Run(new EssAdaptiveObjective(new EssOptions()), lp, old, adv, mask, d.ValidCount);
        Assert.Equal(1.0, r.Metrics[EssAdaptiveObjective.EssMetric], 12);
        r.Loss.backward();
        var expected = new double[3 * 4];
        for (int i = 0; i < 3; i++)
            for (int t = 0; t < 4; t++)
                expected[i * 4 + t] = -d.Advantages[i] * d.Mask[i, t] / d.ValidCount;
        AllClose(expected, Values(lp.grad!), 1e-12);
        r.Loss.Dispose();
    }

    [Fact]
    public void Compute_GradientAccumulation_EachMicroBatchKeepsItsOwnEss()
    {   // two micro-batches, one global D: the sum of their losses is Σ_mb S_mb(e_mb) / D
        var a = RandomBatch.Create(seed: 31, 3, 5, offPolicy: 0.8);
        var b = RandomBatch.Create(seed: 32, 2, 5, offPolicy: 0.8);
        double denom = a.ValidCount + b.ValidCount;
        var o = new EssAdaptiveObjective(new EssOptions());
        double sum = 0, expected = 0;
        foreach (var d in new[] { a, b })
        {
            using var scope = NewDisposeScope();
            var r = Run(o, Leaf(d.LogProbs), Mat(d.OldLogProbs), Vec(d.Advantages), Mat(d.Mask), (long)denom);
            sum += Scalar(r.Loss);
            expected += P3oReference.LossAndGradient(d, denom).Loss;
        }
        Assert.Equal(expected, sum, 11);
    }

    [Fact]
    public void Compute_MissingInputs_ThrowNamingOption()
    {
        using var lp = Leaf(new double[,] { { -1.0 } });
        using var adv = Vec(1.0);
        using var mask = Mat(new double[,] { { 1 } });
        using var old = lp.detach();
        var kl = new EssAdaptiveObjective(new EssOptions { KlCoefficient = 0.1 });
        Assert.Contains("Ess:KlCoefficient = 0.1", Assert.Throws<ArgumentException>(() => Run(kl, lp, old, adv, mask, 1)).Message);
        var ent = new EssAdaptiveObjective(new EssOptions { EntropyCoefficient = 0.01 });
        Assert.Contains("Ess:EntropyCoefficient = 0.01", Assert.Throws<ArgumentException>(() => Run(ent, lp, old, adv, mask, 1)).Message);
        Assert.False(new EssAdaptiveObjective(new EssOptions()).NeedsReferenceLogProbs);
    }

    [Fact]
    public void Compute_Repeated_LeavesNoLiveTensors()
    {
        var d = RandomBatch.Create(seed: 4, 4, 6, offPolicy: 0.8);
        using var lp = Leaf(d.LogProbs);
        using var ent = Leaf(d.Entropies);
        using var old = Mat(d.OldLogProbs);
        using var refLp = Mat(d.RefLogProbs);
        using var adv = Vec(d.Advantages);
        using var mask = Mat(d.Mask);
        var o = new EssAdaptiveObjective(new EssOptions { KlCoefficient = 0.1, EntropyCoefficient = 0.01 });
        void Step()
        {
            var r = Run(o, lp, old, adv, mask, d.ValidCount, refLp, ent);
            r.Loss.backward();
            r.Loss.Dispose();
        }
        Step();
        long before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        for (int i = 0; i < 20; i++) Step();
        Assert.Equal(before, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
    }
}
