using RlTrainer.Trainer.Objectives;
using static RlTrainer.Trainer.Tests.Objectives.TestTensors;
using static TorchSharp.torch;

namespace RlTrainer.Trainer.Tests.Objectives;

public class EffectiveSampleSizeTests
{
    // tools/reference/test_vectors_output.txt section 3 (reference formula with its +1e-8, which moves these by < 1e-8).
    [Theory]
    [InlineData(new[] { 1.0, 1.0, 1.0, 1.0 }, 0.999999998)]
    [InlineData(new[] { 4.0, 0.1, 0.1, 0.1 }, 0.288365564)]
    [InlineData(new[] { 1.1, 0.9, 1.0, 1.0 }, 0.995024873)]
    [InlineData(new[] { 2.0, 2.0, 2.0, 2.0 }, 0.999999999)]
    [InlineData(new[] { 1.0, 0.0, 0.0, 0.0 }, 0.249999998)]
    public void Compute_SpecWeights_MatchReference(double[] w, double expected)
    {
        using var logRatio = Mat(new[,] { { Math.Log(w[0]), Math.Log(w[1]), Math.Log(w[2]), Math.Log(w[3]) } });
        using var valid = ones(1, 4, dtype: ScalarType.Bool);
        Assert.Equal(expected, EffectiveSampleSize.Compute(logRatio, valid), 7);
    }

    [Fact]
    public void Compute_OverflowingLogRatio_StaysAtOneOverN()
    {   // sections 3 and 9: [ln4, ln.1 ×3, 100]: fp32 exp(100) = inf makes the reference fall back to 1; shifted → 0.2
        using var logRatio = Mat(new[,] { { Math.Log(4), Math.Log(0.1), Math.Log(0.1), Math.Log(0.1), 100.0 } });
        using var valid = ones(1, 5, dtype: ScalarType.Bool);
        Assert.Equal(0.2, EffectiveSampleSize.Compute(logRatio, valid), 9);
    }

    [Fact]
    public void Compute_ShiftBeyondFloat64Range_IsScaleInvariant()
    {   // exp(1000 + ln 4) overflows even float64; ESS(c·w) = ESS(w) = 0.288365564
        using var logRatio = Mat(new[,] { { 1000 + Math.Log(4), 1000 + Math.Log(0.1), 1000 + Math.Log(0.1), 1000 + Math.Log(0.1) } });
        using var valid = ones(1, 4, dtype: ScalarType.Bool);
        Assert.Equal(0.288365564, EffectiveSampleSize.Compute(logRatio, valid), 7);
    }

    [Fact]
    public void Compute_MaskedPositions_AreIgnored()
    {   // the padded 50 and NaN would dominate or poison the sums if counted
        using var logRatio = Mat(new[,] { { Math.Log(4), Math.Log(0.1), 50.0 }, { Math.Log(0.1), Math.Log(0.1), double.NaN } });
        using var valid = tensor(new[,] { { true, true, false }, { true, true, false } });
        Assert.Equal(0.288365564, EffectiveSampleSize.Compute(logRatio, valid), 7);
    }

    [Fact]
    public void Compute_NoValidToken_IsOne()
    {
        using var logRatio = Mat(new[,] { { 3.0, -2.0 } });
        using var valid = zeros(1, 2, dtype: ScalarType.Bool);
        Assert.Equal(1.0, EffectiveSampleSize.Compute(logRatio, valid));
    }
}
