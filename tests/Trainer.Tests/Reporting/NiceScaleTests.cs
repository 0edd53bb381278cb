using RlTrainer.Trainer.Reporting;

namespace RlTrainer.Trainer.Tests.Reporting;

public class NiceScaleTests
{
    [Fact]
    public void UnitInterval_StepsOfPointTwo()
    {   // range 1 → nice 1; 1/4 = 0.25 rounds to 0.2
        var s = NiceScale.Create(0, 1);
        Assert.Equal(0.2, s.Step, 12);
        Assert.Equal(new[] { 0, 0.2, 0.4, 0.6, 0.8, 1.0 }, s.Ticks);
        Assert.Equal((0.0, 1.0), (s.Min, s.Max));
    }

    [Fact]
    public void ValueAxis_ExtendsOutwardToWholeTicks()
    {   // range 15.9 → nice 20; 20/4 = 5 → 5; floor(-3.7/5) = -1, ceil(12.2/5) = 3
        var s = NiceScale.Create(-3.7, 12.2);
        Assert.Equal(5, s.Step);
        Assert.Equal(new double[] { -5, 0, 5, 10, 15 }, s.Ticks);
        Assert.Equal((-5.0, 15.0), (s.Min, s.Max));
    }

    [Fact]
    public void StepAxis_KeepsDataRange_TicksInside()
    {   // range 29 → nice 50; 50/5 = 10 → 10; ticks 10, 20, 30 inside [1, 30]
        var s = NiceScale.Create(1, 30, 6, extendToTicks: false, integerStep: true);
        Assert.Equal((1.0, 30.0), (s.Min, s.Max));
        Assert.Equal(new double[] { 10, 20, 30 }, s.Ticks);
    }

    [Fact]
    public void IntegerStep_NeverBelowOne()
    {
        var s = NiceScale.Create(0, 3, 6, extendToTicks: false, integerStep: true);
        Assert.Equal(1, s.Step);
        Assert.Equal(new double[] { 0, 1, 2, 3 }, s.Ticks);
    }

    [Theory]
    [InlineData(0.0, 0.0, 1.0)]    // zero sits on the floor of [0, 1]
    [InlineData(16.0, 14.0, 18.0)] // ±10% = [14.4, 17.6]; range 3.2 → nice 5, step 1.25 → 1
    public void ConstantSeries_GetsABand(double v, double min, double max)
    {
        var s = NiceScale.Create(v, v);
        Assert.Equal((min, max), (s.Min, s.Max));
    }

    [Fact]
    public void FloatNoiseRange_IsTreatedAsConstant()
    {   // an ESS of 1 - 7e-14 and 1: as if constant 1 → [0.9, 1.1], step 0.2/4 = 0.05
        var s = NiceScale.Create(0.9999999999999328, 1.0);
        Assert.Equal(0.05, s.Step, 12);
        Assert.Equal(new[] { 0.9, 0.95, 1.0, 1.05, 1.1 }, s.Ticks);
    }

    [Fact]
    public void TinyValues_TicksWithoutRoundingToZero()
    {   // range 5e-20 → nice 5e-20; /4 = 1.25e-20 → 1e-20
        var s = NiceScale.Create(4.3e-20, 8.7e-20);
        Assert.Equal(1.0, s.Step / 1e-20, 12);
        Assert.Equal(6, s.Ticks.Count);
        Assert.Equal(4.0, s.Ticks[0] / 1e-20, 12);
        Assert.Equal("4e-20", s.Format(s.Ticks[0]));
    }

    [Theory]
    [InlineData(0.25, 0.05, "0.25")]
    [InlineData(0.5, 0.25, "0.50")]
    [InlineData(10, 5, "10")]
    [InlineData(0.0004, 0.0002, "0.0004")]
    [InlineData(2500000, 500000, "2.5e+6")]
    [InlineData(0, 0.1, "0")]
    public void Format_UsesTheDigitsTheStepNeeds(double value, double step, string expected) =>
        Assert.Equal(expected, NiceScale.FormatTick(value, step));

    [Theory]
    [InlineData(0.74, false, 1.0)]
    [InlineData(0.25, true, 0.2)]
    [InlineData(15.9, false, 20)]
    [InlineData(7.2, true, 10)]
    [InlineData(3.2, false, 5)]
    public void NiceNumber_MatchesHeckbertsRule(double x, bool round, double expected) =>
        Assert.Equal(expected, NiceScale.NiceNumber(x, round), 12);

    [Fact]
    public void BadRange_Throws() => Assert.Throws<ArgumentOutOfRangeException>(() => NiceScale.Create(2, 1));
}
