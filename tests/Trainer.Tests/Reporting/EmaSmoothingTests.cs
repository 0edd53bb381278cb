using RlTrainer.Trainer.Reporting;

namespace RlTrainer.Trainer.Tests.Reporting;

public class EmaSmoothingTests
{
    [Fact]
    public void DebiasedEma_MatchesHand()
    {   // w = .5: m = .5 → .5/.5 = 1; m = .25 + 1 = 1.25 → 1.25/.75; m = .625 + 1.5 = 2.125 → 2.125/.875
        var s = EmaSmoothing.Apply(new[] { 1.0, 2, 3 }, 0.5);
        Assert.Equal(1.0, s[0], 12);
        Assert.Equal(1.25 / 0.75, s[1], 12);
        Assert.Equal(2.125 / 0.875, s[2], 12);
    }

    [Fact]
    public void ConstantSeries_StaysConstant_FromTheFirstPoint()
    {   // the bias correction is what keeps the start at the data instead of near 0
        Assert.All(EmaSmoothing.Apply(new[] { 5.0, 5, 5, 5 }, 0.9), v => Assert.Equal(5.0, v, 12));
    }

    [Fact]
    public void WeightZero_IsIdentity() =>
        Assert.Equal(new[] { 3.0, -1, 7 }, EmaSmoothing.Apply(new[] { 3.0, -1, 7 }, 0));

    [Fact]
    public void NonFinite_PassesThrough_AndDoesNotAdvance()
    {   // [1, NaN, 3]: the NaN is skipped, so 3 is the second value seen: (.25 + 1.5) / .75
        var s = EmaSmoothing.Apply(new[] { 1.0, double.NaN, 3 }, 0.5);
        Assert.Equal(1.0, s[0], 12);
        Assert.True(double.IsNaN(s[1]));
        Assert.Equal(1.75 / 0.75, s[2], 12);
    }

    [Theory]
    [InlineData(1.0)]
    [InlineData(-0.1)]
    public void WeightOutsideRange_Throws(double w) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => EmaSmoothing.Apply(new[] { 1.0 }, w));
}
