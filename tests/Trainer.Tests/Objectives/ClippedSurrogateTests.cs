using RlTrainer.Trainer.Objectives;
using static RlTrainer.Trainer.Tests.Objectives.TestTensors;
using static TorchSharp.torch;

namespace RlTrainer.Trainer.Tests.Objectives;

public class ClippedSurrogateTests
{
    // tools/reference/test_vectors_output.txt section 2: (r, A) cases and, per ε setting, the per-token loss and ∂l/∂ℓ (ℓ = log π, r = exp(ℓ − ℓ^old)).
    private static readonly double[] R = { 1.0, 1.5, 1.5, 0.5, 0.5, 1.25, 1.25, 0.7 };
    private static readonly double[] A = { 1.0, 1.0, -1.0, 1.0, -1.0, 1.0, -0.5, 2.0 };

    public static TheoryData<double, double, double[], double[]> Table => new()
    {
        { 0.2, 0.2, new[] { -1.0, -1.2, 1.5, -0.5, 0.8, -1.2, 0.625, -1.4 }, new[] { -1.0, 0, 1.5, -0.5, 0, 0, 0.625, -1.4 } },
        { 0.2, 0.28, new[] { -1.0, -1.28, 1.5, -0.5, 0.8, -1.25, 0.625, -1.4 }, new[] { -1.0, 0, 1.5, -0.5, 0, -1.25, 0.625, -1.4 } },
    };

    [Theory]
    [MemberData(nameof(Table))]
    public void PerTokenLoss_SpecTable_LossAndGradient(double epsLow, double epsHigh, double[] loss, double[] grad)
    {
        using var lp = tensor(R.Select(x => Math.Log(x)).ToArray(), dtype: ScalarType.Float64, requires_grad: true);
        using var adv = Vec(A);
        using var w = lp.exp();
        using var l = ClippedSurrogate.PerTokenLoss(w, adv, epsLow, epsHigh);
        AllClose(loss, Values(l), 1e-9);
        using var s = l.sum();   // tokens are independent, so the gradient of the sum is each token's own
        s.backward();
        AllClose(grad, Values(lp.grad!), 1e-9);
    }

    [Fact]
    public void PerTokenLoss_Delta_CapsTheUnclippedRatio()
    {   // INTELLECT-2, δ = 4: r = 5, A = +1 → −min(4, 1.2) = −1.2; A = −1 → −min(−4, −1.2) = 4 (5 without δ)
        using var w = Vec(5, 5);
        using var adv = Vec(1, -1);
        using var l = ClippedSurrogate.PerTokenLoss(w, adv, 0.2, 0.2, delta: 4);
        AllClose(new[] { -1.2, 4.0 }, Values(l), 1e-12);
    }

    [Fact]
    public void LogImportanceWeights_Sequence_IsMaskedMeanOfTokenLogRatios()
    {   // tools/reference/test_vectors_output.txt section 2 GSPO: [0.1, −0.2, 0.4] → s = exp(0.1) = 1.105170918; the padded 9 is ignored
        using var lr = Mat(new double[,] { { 0.1, -0.2, 0.4, 9.0 } });
        using var m = Mat(new double[,] { { 1, 1, 1, 0 } });
        using var logW = ClippedSurrogate.LogImportanceWeights(lr, m, ImportanceSamplingLevel.Sequence);
        Assert.True(logW.shape.SequenceEqual(new long[] { 1, 1 }));
        using var s = logW.exp();
        Assert.Equal(1.105170918, Scalar(s), 9);
    }

    [Fact]
    public void LogImportanceWeights_Token_IsTheLogRatio()
    {
        using var lr = Mat(new double[,] { { 0.1, -0.2 } });
        using var m = Mat(new double[,] { { 1, 0 } });
        using var logW = ClippedSurrogate.LogImportanceWeights(lr, m, ImportanceSamplingLevel.Token);
        AllClose(new[] { 0.1, -0.2 }, Values(logW), 0);
    }
}
