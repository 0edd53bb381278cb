using System.Numerics;
using RlTrainer.Rewards.Verifiers;

namespace RlTrainer.Rewards.Tests.Verifiers;

public class BigRationalTests
{
    [Fact]
    public void Arithmetic_ReducesExactly()
    {
        var half = BigRational.Create(2, 4);
        Assert.Equal(BigInteger.One, half.Numerator);
        Assert.Equal(new BigInteger(2), half.Denominator);
        Assert.Equal(BigRational.Create(5, 6), BigRational.Create(1, 2) + BigRational.Create(1, 3));
        Assert.Equal(BigRational.Create(-1, 6), BigRational.Create(1, 3) - BigRational.Create(1, 2));
        Assert.Equal(BigRational.Create(3, 2), BigRational.Create(3, 4) / BigRational.Create(1, 2));
        Assert.Equal(BigRational.Create(-2, 3), BigRational.Create(2, -3));
        Assert.Throws<DivideByZeroException>(() => BigRational.Create(1, 0));
    }

    [Theory]
    [InlineData("12", 12, 1, 0)]
    [InlineData("12.50", 25, 2, 2)]
    [InlineData(".4", 2, 5, 1)]
    [InlineData("1.5e3", 1500, 1, 1)]
    [InlineData("2E-4", 1, 5000, 0)]
    public void TryParseDecimal(string text, long num, long den, int fractionDigits)
    {
        Assert.True(BigRational.TryParseDecimal(text, out var value, out var digits));
        Assert.Equal(BigRational.Create(num, den), value);
        Assert.Equal(fractionDigits, digits);
    }

    [Theory]
    [InlineData("")]
    [InlineData(".")]
    [InlineData("1.2.3")]
    [InlineData("1e99999")]
    public void TryParseDecimal_Rejects(string text) => Assert.False(BigRational.TryParseDecimal(text, out _, out _));

    [Fact]
    public void Roots_ExactOnlyWhenRational()
    {
        Assert.True(BigRational.Create(9, 4).TrySqrt(out var r));
        Assert.Equal(BigRational.Create(3, 2), r);
        Assert.False(BigRational.FromInteger(2).TrySqrt(out _));
        Assert.True(BigRational.FromInteger(-27).TryRoot(3, out var c));
        Assert.Equal(BigRational.FromInteger(-3), c);
        Assert.False(BigRational.FromInteger(-4).TryRoot(2, out _));
    }

    [Fact]
    public void ScaledRound_HalfAwayFromZero()
    {
        Assert.Equal(new BigInteger(333333), BigRational.Create(1, 3).ScaledRound(6));
        Assert.Equal(new BigInteger(666667), BigRational.Create(2, 3).ScaledRound(6));
        Assert.Equal(new BigInteger(-3), BigRational.Create(-5, 2).ScaledRound(0));
    }

    [Fact]
    public void Doubles_RoundTripExactly()
    {
        Assert.Equal(BigRational.Create(1, 8), BigRational.FromDouble(0.125));
        Assert.Equal(0.1, BigRational.FromDouble(0.1).ToDouble());
        var huge = BigRational.Pow(BigRational.FromInteger(10), 400) / BigRational.Pow(BigRational.FromInteger(10), 399);
        Assert.Equal(10.0, huge.ToDouble());
        Assert.Equal(1e-300, BigRational.Create(1, BigInteger.Pow(10, 300)).ToDouble(), 1e-310);
    }
}
