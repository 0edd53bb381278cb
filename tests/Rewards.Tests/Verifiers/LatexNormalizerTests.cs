using RlTrainer.Rewards.Verifiers;

namespace RlTrainer.Rewards.Tests.Verifiers;

public class LatexNormalizerTests
{
    [Theory]
    [InlineData(@"$\dfrac{1}{2}$", @"\frac{1}{2}")]
    [InlineData(@"\left( 3, \frac{\pi}{2} \right)", @"( 3, \frac{\pi}{2} )")]
    [InlineData(@"10,\!000", "10000")]
    [InlineData(@"14{,}916", "14916")]
    [InlineData(@"\$18.90", "18.90")]
    [InlineData(@"90^\circ", "90")]
    [InlineData(@"15\mbox{ cm}^2", "15")]
    [InlineData(@"\text{(C)}", "(C)")]
    [InlineData(@"12\text{ and }13", "12,13")]
    [InlineData("72 dollars.", "72")]
    [InlineData("5x", "5x")]
    [InlineData("1 000", "1000")]
    [InlineData("4 4/9", @"\frac{40}{9}")]
    [InlineData("11 7/6", "11 7/6")]
    [InlineData("28 percent", "28 %")]
    [InlineData(@"x\,=\,3", "x = 3")]
    [InlineData(@"\\frac{1}{2}", @"\frac{1}{2}")]
    [InlineData("1, 2, 3, ...", "1, 2, 3, ...")]
    public void Normalize(string input, string expected) => Assert.Equal(expected, LatexNormalizer.Normalize(input));
}
