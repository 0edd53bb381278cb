using RlTrainer.Rewards.Verifiers;

namespace RlTrainer.Rewards.Tests.Verifiers;

/// <summary>
/// Equivalence of extracted answers (gold, predicted) → expected: numbers, fractions, LaTeX notation, units,
/// percentages and expressions. Cases follow the documented behaviour of Hugging Face Math-Verify (its test
/// suite's number, LaTeX-notation, percent and precision cases), verl's reward_score normalizers, and answer
/// formats as they appear in GSM8K and MATH. False cases guard against false positives.
/// </summary>
public class MathAnswerVerifierEquivalenceTests
{
    // Equivalence, not speed: a budget no loaded machine runs out of (MathAnswerVerifierTests covers the timeout).
    private static readonly MathAnswerVerifier Verifier = new(new MathVerifierOptions { TimeoutMs = 60_000 });

    [Theory]
    // Integers, signs, thousands separators (Math-Verify number extraction)
    [InlineData("-5", "-5", true)]
    [InlineData("7425000", "7,425,000", true)]
    [InlineData("1000", "1 000", true)]
    [InlineData("1000", "1000.0", true)]
    [InlineData("1000.0", "1,000.0", true)]
    [InlineData("1000.99", "1,000.99", true)]
    [InlineData("1000.99", @"\$1,000.99", true)]
    [InlineData("0.4", ".4", true)]
    [InlineData("12000023", "12,000,023", true)]
    [InlineData("14916", "14{,}916", true)]
    [InlineData("10000", @"10,\!000", true)]
    [InlineData("11111111100", @"11,\! 111,\! 111,\! 100", true)]
    [InlineData("32349", "32, 349", false)]
    [InlineData("1000", @"1\,000", true)]
    [InlineData("72", "72.00", true)]
    [InlineData("-3", "\u22123", true)]
    [InlineData("5", "+5", true)]
    [InlineData("18", @"\$18", true)]
    [InlineData("18.90", @"\$18.90", true)]
    [InlineData("5", "5.00", true)]
    // Never true by accident: the right digits inside a wrong number
    [InlineData("3", "33", false)]
    [InlineData("33", "3", false)]
    [InlineData("72", "720", false)]
    [InlineData("72", "7.2", false)]
    [InlineData("12", "-12", false)]
    [InlineData("2", "AZYUK2A", false)]
    [InlineData("1000", "100", false)]
    [InlineData("7425000", "7,425", false)]
    [InlineData("0.5", "0.05", false)]
    [InlineData("1", "11", false)]
    // Fractions, mixed numbers, decimals
    [InlineData(@"\frac{1}{2}", "0.5", true)]
    [InlineData(@"\frac{1}{2}", "1/2", true)]
    [InlineData(@"\frac{1}{2}", @"\dfrac{1}{2}", true)]
    [InlineData(@"\frac{1}{2}", @"\tfrac{1}{2}", true)]
    [InlineData(@"\frac{1}{2}", @"\frac{2}{4}", true)]
    [InlineData("10/9", @"\frac{10}{9}", true)]
    [InlineData("-10/9", @"-\frac{10}{9}", true)]
    [InlineData(@"\frac{-10}{9}", @"-\frac{10}{9}", true)]
    [InlineData(@"\frac{1}{3}", @"\frac13", true)]
    [InlineData("1", @"\frac3{3}", true)]
    [InlineData(@"\frac{1}{3}", @"\cfrac{1}{3}", true)]
    [InlineData(@"\frac{1}{3}", @"\left( \frac{1}{3} \right)", true)]
    [InlineData(@"\frac{1}{3}", @"\frac{1}{3}.", true)]
    [InlineData(@"\frac{1}{3}", "0.333", false)]
    [InlineData(@"\frac{1}{3}", "0.33", false)]
    [InlineData(@"\frac{1}{3}", "0.3333333", true)]
    [InlineData(@"\frac{1}{12}", "0.0833333333333333", true)]
    [InlineData(@"\frac{1}{2}", @"\frac{1}{3}", false)]
    [InlineData(@"\frac{1}{2}", "2", false)]
    [InlineData(@"\frac{2}{3}", @"\frac{3}{2}", false)]
    [InlineData(@"\frac{5}{2}", @"2\frac{1}{2}", true)]
    [InlineData(@"-\frac{5}{2}", @"-2\frac{1}{2}", true)]
    [InlineData("2", @"2\frac{1}{2}", false)]
    [InlineData("40/9", "4 4/9", true)]
    [InlineData("4", "4 4/9", false)]
    [InlineData("-40/9", "-4 4/9", true)]
    [InlineData("4", "4 0/9", true)]
    [InlineData("71/6", "11 7/6", false)]
    [InlineData("12", "11 6/6", false)]
    [InlineData("4", "4 4/0", false)]
    [InlineData("103/9", "11 + 4/9", true)]
    [InlineData("95/9", "11 + 4/9", false)]
    [InlineData("2.5", "5/2", true)]
    [InlineData("16386.17", "16386.169", false)]
    [InlineData("16386.20", @"\$16,\!386.20", true)]
    [InlineData("7.78", @"\frac{70}{9}", false)]
    [InlineData("3.14", @"\pi", false)]
    // Scientific notation
    [InlineData("1500", "1.5e3", true)]
    [InlineData("1500", @"1.5 \times 10^{3}", true)]
    [InlineData("0.0002", "2E-4", true)]
    [InlineData("300000000", @"3 \cdot 10^8", true)]
    [InlineData("1500", "1.5e4", false)]
    // Roots and π
    [InlineData(@"\sqrt{3}", @"\sqrt3", true)]
    [InlineData(@"3\sqrt{13}", @"\sqrt{117}", true)]
    [InlineData(@"2\sqrt{2}", @"\sqrt{8}", true)]
    [InlineData(@"\frac{\sqrt{2}}{2}", @"\frac{1}{\sqrt{2}}", true)]
    [InlineData(@"\sqrt{2}+\sqrt{5}", @"\sqrt 2+\sqrt 5", true)]
    [InlineData(@"\frac{9}{4}\pi", @"\frac94\pi", true)]
    [InlineData(@"\frac{9\pi}{4}", @"2.25\pi", true)]
    [InlineData(@"4", @"4\sqrt{2}", false)]
    [InlineData(@"1\sqrt{19}", "1", false)]
    [InlineData("2", @"\frac{1+\sqrt{5}}{2}", false)]
    [InlineData(@"\sqrt{17}", "4.123105625617661", true)]
    [InlineData(@"\sqrt{2}", "1.41", false)]
    [InlineData(@"2\pi", @"\pi", false)]
    [InlineData(@"\sqrt[3]{8}", "2", true)]
    [InlineData("4", "2^2", true)]
    [InlineData("1024", "2^{10}", true)]
    [InlineData("2", "2^{10}", false)]
    [InlineData("120", "5!", true)]
    [InlineData("10", @"\binom{5}{2}", true)]
    // Percentages (Math-Verify percent notation)
    [InlineData(@"28\%", "28 percent", true)]
    [InlineData(@"28\%", "28 pct", true)]
    [InlineData(@"28\%", "28 %", true)]
    [InlineData(@"28\%", "28", true)]
    [InlineData(@"28\%", "0.28", true)]
    [InlineData("0.28", "28", false)]
    [InlineData("28/100", "28", false)]
    [InlineData("28", "28/100", false)]
    [InlineData(@"\frac{28}{100}", "28", false)]
    [InlineData("20", @"20\%", true)]
    [InlineData("40/900", "4 4/9%", true)]
    [InlineData("40/9", "4 4/9%", false)]
    [InlineData(@"28\%", "27%", false)]
    // Units, degrees, currency, text (verl normalizers; MATH answers)
    [InlineData(@"90^\circ", "90", true)]
    [InlineData("90", @"90^{\circ}", true)]
    [InlineData("90", "90°", true)]
    [InlineData(@"15\mbox{ cm}^2", "15", true)]
    [InlineData("125", @"125\textnormal{ miles}", true)]
    [InlineData(@"\frac{1}{3}", @"\frac{1}{3} \text{meters}", true)]
    [InlineData("5", @"5 \text{ cm}.", true)]
    [InlineData("72", "72 dollars", true)]
    [InlineData("10", "10 square units", true)]
    [InlineData("1000.99", "1,000.99m^2", true)]
    [InlineData("5", "5x", false)]
    [InlineData(@"\text{Evelyn}", "Evelyn", true)]
    [InlineData(@"\text{Evelyn}", "Evelin", false)]
    [InlineData("yes", "Yes", true)]
    [InlineData("no", "on", false)]
    [InlineData(@"\text{odd}", @"\text{even}", false)]
    // Answer styling inside the extracted text
    [InlineData(@"\frac{1}{3}", @"\boxed{\frac{1}{3}}", true)]
    [InlineData("28", @"\boxed{28}", true)]
    [InlineData("9", "$9$", true)]
    [InlineData("9", @"\( 9 \)", true)]
    [InlineData(@"\frac{1}{2}", @"\displaystyle\frac{1}{2}", true)]
    [InlineData("10", "(9+1)", true)]
    [InlineData("13", "\text{13}", false)] // a tab, not \text: Math-Verify issue 37
    public void AreEquivalent_Scalars(string gold, string predicted, bool expected)
    {
        Assert.Equal(expected, Verifier.AreEquivalent(gold, predicted));
    }

    [Theory]
    // Expressions with variables (Math-Verify LaTeX-notation and Qwen-parser cases)
    [InlineData("2-2p", "2-2p", true)]
    [InlineData("2-2p", "-2p+2", true)]
    [InlineData("2-2p", "2+2p", false)]
    [InlineData(@"\frac{x+2}{7}", @"\frac{x}{7}+\frac{2}{7}", true)]
    [InlineData(@"\tan^2(y)+1", @"\sec^2(y)", true)]
    [InlineData(@"2 \sin b \cos a", @"2\cos a \sin b", true)]
    [InlineData(@"\frac{\pi r}{h+r}", @"\frac{r\pi}{r+h}", true)]
    [InlineData("x+2n+1", "x+1", false)]
    [InlineData("(a+5)(b+2)", "(+5)(b+2)", false)]
    [InlineData("x^2+7x+10", "(x+2)(x+5)", true)]
    [InlineData("x^2+7x+10", "(x+2)(x+6)", false)]
    [InlineData(@"\frac{\sqrt{\sqrt{11}+\sqrt{194}}}{15+2\sqrt{33}}", @"\frac{\sqrt{\sqrt{11}+\sqrt{194}}}{2\sqrt{33}+15}", true)]
    [InlineData("3+4i", "4i+3", true)]
    [InlineData("3+4i", "3-4i", false)]
    [InlineData(@"\frac{1}{x}", "x^{-1}", true)]
    [InlineData(@"\sqrt{x}", "x^{1/2}", true)]
    [InlineData("2x", "x+x", true)]
    [InlineData("xy", "x y", true)] // LaTeX ignores spaces in math
    [InlineData("xy", "yx", false)] // "xy" is read as one name: a miss, never a false positive
    [InlineData(@"\log_2 8", "3", true)]
    [InlineData(@"|{-3}|", "3", true)]
    [InlineData(@"x_1 + x_2", "x_2 + x_1", true)]
    [InlineData("204_5", "204_5", true)]
    [InlineData("1112112_3", "1112122_3", false)]
    [InlineData("204_5", "54", false)]
    public void AreEquivalent_Expressions(string gold, string predicted, bool expected)
    {
        Assert.Equal(expected, Verifier.AreEquivalent(gold, predicted));
    }

    [Theory]
    [InlineData(@"\frac{1}{3}", "0.3333", 4, true)]
    [InlineData(@"\frac{1}{3}", "0.3333", 6, false)]
    [InlineData(@"(\frac{3}{5},\frac{8}{3}]", "(0.6,2.6667]", 2, true)]
    [InlineData(@"(\frac{3}{5},\frac{8}{3}]", "(0.6,2.6667]", 6, false)]
    public void AreEquivalent_DecimalPlacesOption(string gold, string predicted, int places, bool expected)
    {
        var verifier = new MathAnswerVerifier(new MathVerifierOptions { DecimalPlaces = places });
        Assert.Equal(expected, verifier.AreEquivalent(gold, predicted));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(@"\text{}")]
    public void AreEquivalent_EmptyGold_IsNotGradable(string gold)
    {
        Assert.Null(Verifier.AreEquivalent(gold, "5"));
    }

    [Fact]
    public void AreEquivalent_OverlongAnswers_AreNotCompared()
    {
        var common = string.Concat(Enumerable.Repeat("x+", 600));
        Assert.False(Verifier.AreEquivalent("1", common + "1"));
        Assert.Null(Verifier.AreEquivalent(common + "1", common + "1"));
    }

    [Fact]
    public void AreEquivalent_UnparseableGold_MatchesOnlyItsOwnText()
    {
        Assert.True(Verifier.AreEquivalent(@"f'(x) \ge \#", @"f'(x)\ge\#"));
        Assert.Null(Verifier.AreEquivalent(@"f'(x) \ge \#", "5"));
    }
}
