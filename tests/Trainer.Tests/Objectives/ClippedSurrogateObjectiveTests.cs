using RlTrainer.Trainer.Objectives;
using TorchSharp;
using static RlTrainer.Trainer.Tests.Objectives.TestTensors;
using static TorchSharp.torch;

namespace RlTrainer.Trainer.Tests.Objectives;

public class ClippedSurrogateObjectiveTests
{
    private const int B = 4, T = 5;

    [Fact]
    public void Compute_SpecTable_LossGradientAndClipMetrics()
    {   // tools/reference/test_vectors_output.txt section 2 as eight one-token sequences, dapo with N = 8: loss = Σ l / 8, ∂/∂ℓ = g / 8
        double[] r = { 1.0, 1.5, 1.5, 0.5, 0.5, 1.25, 1.25, 0.7 }, a = { 1, 1, -1, 1, -1, 1, -0.5, 2 };
        double[] l = { -1.0, -1.2, 1.5, -0.5, 0.8, -1.2, 0.625, -1.4 }, g = { -1.0, 0, 1.5, -0.5, 0, 0, 0.625, -1.4 };
        using var lp = tensor(r.Select(x => Math.Log(x)).ToArray(), dtype: ScalarType.Float64, requires_grad: true);
        using var lp2 = lp.view(8, 1);
        using var old = zeros(8, 1, dtype: ScalarType.Float64);
        using var adv = Vec(a);
        using var mask = ones(8, 1, dtype: ScalarType.Float64);
        var objective = new ClippedSurrogateObjective(new GrpoOptions());
        var result = objective.Compute(new PolicyMicroBatch(lp2, old, adv, mask), new LossNormalizer(8));
        Assert.Equal(l.Sum() / 8, Scalar(result.Loss), 12);
        result.Loss.backward();
        AllClose(g.Select(x => x / 8).ToArray(), Values(lp.grad!), 1e-12);
        // TRL clip metrics: low = r < 0.8 ∧ A < 0: token 5; high = r > 1.2 ∧ A > 0: tokens 2, 6
        Assert.Equal(1.0 / 8, result.Metrics[ClippedSurrogateObjective.ClipLowMetric], 12);
        Assert.Equal(2.0 / 8, result.Metrics[ClippedSurrogateObjective.ClipHighMetric], 12);
        Assert.Equal(3.0 / 8, result.Metrics[ClippedSurrogateObjective.ClipRegionMetric], 12);
        Assert.Equal(8.2 / 8, result.Metrics[ClippedSurrogateObjective.RatioMeanMetric], 12);
        Assert.False(result.Metrics.ContainsKey(ClippedSurrogateObjective.KlMetric));
        result.Loss.Dispose();
    }

    [Theory]
    [InlineData(0.05, -1.05, 0.0, 1.0)]                         // s = 1.105 > 1.05: clipped, no gradient
    [InlineData(0.2, -1.105170918, -0.368390306, 0.0)]          // inside the band: −s·A, ∂/∂ℓ_t = −A·s/3
    public void Compute_Gspo_SequenceRatioAndGradientToEveryToken(double epsHigh, double loss, double grad, double highClip)
    {   // token log-ratios [0.1, −0.2, 0.4], A = +1, loss_type grpo (TRL's recommendation for GSPO)
        using var lp = Leaf(new double[,] { { -1.0, -2.0, -0.5, -7.0 } });
        using var old = Mat(new double[,] { { -1.1, -1.8, -0.9, double.NaN } });
        using var mask = Mat(new double[,] { { 1, 1, 1, 0 } });
        using var adv = Vec(1.0);
        var o = new GrpoOptions { LossType = GrpoLossType.Grpo, ImportanceSamplingLevel = ImportanceSamplingLevel.Sequence, EpsilonHigh = epsHigh };
        var result = new ClippedSurrogateObjective(o).Compute(new PolicyMicroBatch(lp, old, adv, mask), new LossNormalizer(3));
        Assert.Equal(loss, Scalar(result.Loss), 9);
        result.Loss.backward();
        AllClose(new[] { grad, grad, grad, 0.0 }, Values(lp.grad!), 1e-9);
        Assert.Equal(highClip, result.Metrics[ClippedSurrogateObjective.ClipHighMetric], 12);
        result.Loss.Dispose();
    }

    public static TheoryData<GrpoLossType, ImportanceSamplingLevel, double> Configs => new()
    {
        { GrpoLossType.Grpo, ImportanceSamplingLevel.Token, 0.04 },
        { GrpoLossType.Bnpo, ImportanceSamplingLevel.Token, 0.0 },
        { GrpoLossType.DrGrpo, ImportanceSamplingLevel.Token, 0.1 },
        { GrpoLossType.Dapo, ImportanceSamplingLevel.Token, 0.04 },
        { GrpoLossType.Grpo, ImportanceSamplingLevel.Sequence, 0.0 },
        { GrpoLossType.Dapo, ImportanceSamplingLevel.Sequence, 0.04 },
    };

    [Theory]
    [MemberData(nameof(Configs))]
    public void Compute_RandomInputs_AutogradMatchesClosedForm(GrpoLossType type, ImportanceSamplingLevel level, double beta)
    {
        var d = RandomBatch.Create(seed: 17 + (int)type * 7 + (int)level, B, T);
        var o = new GrpoOptions { LossType = type, ImportanceSamplingLevel = level, Beta = beta, EpsilonHigh = 0.28 };
        var norm = new LossNormalizer(d.ValidCount + 7, MicroBatchCount: 2, MaxCompletionLength: T + 2);
        using var lp = Leaf(d.LogProbs);
        using var old = Mat(d.OldLogProbs);
        using var refLp = Mat(d.RefLogProbs);
        using var adv = Vec(d.Advantages);
        using var mask = Mat(d.Mask);
        var result = new ClippedSurrogateObjective(o).Compute(new PolicyMicroBatch(lp, old, adv, mask) { RefLogProbs = beta > 0 ? refLp : null }, norm);
        var (loss, grad) = GrpoReference.LossAndGradient(d, o, norm);
        Assert.Equal(loss, Scalar(result.Loss), 10);
        result.Loss.backward();
        AllClose(Flat(grad), Values(lp.grad!), 1e-10);
        result.Loss.Dispose();
    }

    [Theory]
    [InlineData(GrpoLossType.Dapo)]
    [InlineData(GrpoLossType.Grpo)]
    public void Compute_GradientAccumulation_MicroBatchesSumToFullBatch(GrpoLossType type)
    {   // six sequences as one batch, or as three micro-batches of two with the step's normaliser
        var d = RandomBatch.Create(seed: 5, 6, T);
        var o = new GrpoOptions { LossType = type, Beta = 0.05 };
        var objective = new ClippedSurrogateObjective(o);
        using var old = Mat(d.OldLogProbs);
        using var refLp = Mat(d.RefLogProbs);
        using var adv = Vec(d.Advantages);
        using var mask = Mat(d.Mask);

        using var full = Leaf(d.LogProbs);
        var whole = objective.Compute(new PolicyMicroBatch(full, old, adv, mask) { RefLogProbs = refLp }, new LossNormalizer(d.ValidCount, 1));
        whole.Loss.backward();

        using var split = Leaf(d.LogProbs);
        double sum = 0;
        for (int start = 0; start < 6; start += 2)
        {
            using var scope = NewDisposeScope();
            var mb = new PolicyMicroBatch(split.narrow(0, start, 2), old.narrow(0, start, 2), adv.narrow(0, start, 2), mask.narrow(0, start, 2))
            { RefLogProbs = refLp.narrow(0, start, 2) };
            var part = objective.Compute(mb, new LossNormalizer(d.ValidCount, 3));
            part.Loss.backward();
            sum += Scalar(part.Loss);
        }
        Assert.Equal(Scalar(whole.Loss), sum, 12);
        AllClose(Values(full.grad!), Values(split.grad!), 1e-12);
        whole.Loss.Dispose();
    }

    [Fact]
    public void Compute_OnPolicyDetachedOld_IsReinforceWithUnitRatio()
    {   // num_iterations = 1: old = sg(ℓ), r ≡ 1, ∂L/∂ℓ = −A·m/N (dapo, β = 0)
        var d = RandomBatch.Create(seed: 9, B, T);
        using var lp = Leaf(d.LogProbs);
        using var old = lp.detach();
        using var adv = Vec(d.Advantages);
        using var mask = Mat(d.Mask);
        var result = new ClippedSurrogateObjective(new GrpoOptions()).Compute(new PolicyMicroBatch(lp, old, adv, mask), new LossNormalizer(d.ValidCount));
        result.Loss.backward();
        var expected = new double[B * T];
        for (int i = 0; i < B; i++)
            for (int t = 0; t < T; t++)
                expected[i * T + t] = -d.Advantages[i] * d.Mask[i, t] / d.ValidCount;
        AllClose(expected, Values(lp.grad!), 1e-12);
        Assert.Equal(1.0, result.Metrics[ClippedSurrogateObjective.RatioMeanMetric], 12);
        result.Loss.Dispose();
    }

    [Fact]
    public void Compute_KlMetric_IsMaskedMeanOfK3()
    {   // tools/reference/test_vectors_output.txt section 6 values: (0.106530660 + 0 + 1.981689070) / 3
        using var lp = Leaf(new double[,] { { -1.0, -1.0, -2.0, 0.0 } });
        using var refLp = Mat(new double[,] { { -1.5, -1.0, -0.5, 50.0 } });
        using var mask = Mat(new double[,] { { 1, 1, 1, 0 } });
        using var adv = Vec(0.0);
        using var old = lp.detach();
        var result = new ClippedSurrogateObjective(new GrpoOptions { Beta = 0.1 })
            .Compute(new PolicyMicroBatch(lp, old, adv, mask) { RefLogProbs = refLp }, new LossNormalizer(3));
        Assert.Equal(0.696073243, result.Metrics[ClippedSurrogateObjective.KlMetric], 9);
        Assert.Equal(0.1 * 0.696073243, Scalar(result.Loss), 9);   // A = 0: only the KL term remains
        result.Loss.Dispose();
    }

    [Fact]
    public void Compute_BetaWithoutReference_ThrowsAndBetaZeroNeedsNone()
    {
        Assert.False(new ClippedSurrogateObjective(new GrpoOptions()).NeedsReferenceLogProbs);
        var objective = new ClippedSurrogateObjective(new GrpoOptions { Beta = 0.04 });
        Assert.True(objective.NeedsReferenceLogProbs);
        using var lp = Leaf(new double[,] { { -1.0 } });
        using var adv = Vec(1.0);
        using var mask = Mat(new double[,] { { 1 } });
        var ex = Assert.Throws<ArgumentException>(() => objective.Compute(new PolicyMicroBatch(lp, lp.detach(), adv, mask), new LossNormalizer(1)));
        Assert.Contains("Grpo:Beta = 0.04", ex.Message);
    }

    [Fact]
    public void Compute_ShapeMismatch_ThrowsNamingField()
    {
        using var lp = Leaf(new double[,] { { -1.0, -1.0 } });
        using var adv = Vec(1.0, 2.0);
        using var mask = Mat(new double[,] { { 1, 1 } });
        var ex = Assert.Throws<ArgumentException>(() =>
            new ClippedSurrogateObjective(new GrpoOptions()).Compute(new PolicyMicroBatch(lp, lp.detach(), adv, mask), new LossNormalizer(2)));
        Assert.Contains("Advantages", ex.Message);
    }

    [Fact]
    public void Compute_Repeated_LeavesNoLiveTensors()
    {
        var d = RandomBatch.Create(seed: 3, B, T);
        using var lp = Leaf(d.LogProbs);
        using var old = Mat(d.OldLogProbs);
        using var refLp = Mat(d.RefLogProbs);
        using var adv = Vec(d.Advantages);
        using var mask = Mat(d.Mask);
        var objective = new ClippedSurrogateObjective(new GrpoOptions { Beta = 0.04, ImportanceSamplingLevel = ImportanceSamplingLevel.Sequence });
        var batch = new PolicyMicroBatch(lp, old, adv, mask) { RefLogProbs = refLp };
        void Step()
        {
            var r = objective.Compute(batch, new LossNormalizer(d.ValidCount));
            r.Loss.backward();
            r.Loss.Dispose();
        }
        Step();
        long before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        for (int i = 0; i < 20; i++) Step();
        Assert.Equal(before, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
    }
}
