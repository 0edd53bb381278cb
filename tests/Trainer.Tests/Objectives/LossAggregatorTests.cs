using RlTrainer.Trainer.Objectives;
using static RlTrainer.Trainer.Tests.Objectives.TestTensors;

namespace RlTrainer.Trainer.Tests.Objectives;

public class LossAggregatorTests
{
    // tools/reference/test_vectors_output.txt section 5: rows [1,2,3] and [4], L = 4, B = 2.
    private static readonly double[,] Loss = { { 1, 2, 3, 99 }, { 4, 99, 99, 99 } };
    private static readonly double[,] Mask = { { 1, 1, 1, 0 }, { 1, 0, 0, 0 } };

    [Theory]
    [InlineData(LossAggregation.SeqMeanTokenMean, 3.0)]
    [InlineData(LossAggregation.LocalTokenMean, 2.5)]
    [InlineData(LossAggregation.GlobalTokenMean, 2.5)]
    [InlineData(LossAggregation.ConstantNorm, 1.25)]
    public void Aggregate_SpecExample_MatchesReference(LossAggregation mode, double expected)
    {
        using var l = Mat(Loss);
        using var m = Mat(Mask);
        using var s = LossAggregator.Aggregate(l, m, mode, new LossNormalizer(4, 1, 4));
        Assert.Equal(expected, Scalar(s), 12);
    }

    [Theory]
    [InlineData(LossAggregation.SeqMeanTokenMean, 1.5)]
    [InlineData(LossAggregation.LocalTokenMean, 1.25)]
    [InlineData(LossAggregation.ConstantNorm, 0.625)]
    [InlineData(LossAggregation.GlobalTokenMean, 10.0 / 8)]   // the global count, not GA, normalises
    public void Aggregate_TwoMicroBatches_DividesMeansByGa(LossAggregation mode, double expected)
    {
        using var l = Mat(Loss);
        using var m = Mat(Mask);
        using var s = LossAggregator.Aggregate(l, m, mode, new LossNormalizer(8, 2, 4));
        Assert.Equal(expected, Scalar(s), 12);
    }

    [Fact]
    public void Aggregate_SequenceLevelLoss_BroadcastsOverTokens()
    {   // per-sequence losses 2 and 5 over 3 and 1 tokens: grpo (2+5)/2, dapo (2·3+5·1)/4
        using var l = Mat(new double[,] { { 2 }, { 5 } });
        using var m = Mat(Mask);
        using var grpo = LossAggregator.Aggregate(l, m, LossAggregation.SeqMeanTokenMean, new LossNormalizer(4));
        using var dapo = LossAggregator.Aggregate(l, m, LossAggregation.GlobalTokenMean, new LossNormalizer(4));
        Assert.Equal(3.5, Scalar(grpo), 12);
        Assert.Equal(2.75, Scalar(dapo), 12);
    }

    [Fact]
    public void Aggregate_EmptyRow_StillCountsInSequenceMean()
    {   // TRL divides by B even when a (truncated) row has no tokens: (2 + 0)/2
        using var l = Mat(new double[,] { { 1, 3 }, { 7, 7 } });
        using var m = Mat(new double[,] { { 1, 1 }, { 0, 0 } });
        using var s = LossAggregator.Aggregate(l, m, LossAggregation.SeqMeanTokenMean, new LossNormalizer(2));
        Assert.Equal(1.0, Scalar(s), 12);
    }

    [Fact]
    public void Aggregate_ConstantNormWithoutLength_Throws()
    {
        using var l = Mat(Loss);
        using var m = Mat(Mask);
        var ex = Assert.Throws<ArgumentException>(() => LossAggregator.Aggregate(l, m, LossAggregation.ConstantNorm, new LossNormalizer(4)));
        Assert.Contains("MaxCompletionLength", ex.Message);
    }
}
