using RlTrainer.Rewards.Verifiers;

namespace RlTrainer.Rewards.Tests.Verifiers;

/// <summary>
/// Equivalence of structured answers: tuples, sets, intervals (open and closed ends matter), unions, ± roots,
/// equations, inequalities, matrices and multiple-choice letters. Cases follow Math-Verify's documented sets,
/// relations and matrix behaviour and answer formats from MATH.
/// </summary>
public class MathAnswerVerifierStructureTests
{
    private static readonly MathAnswerVerifier Verifier = new();

    [Theory]
    // Tuples and intervals
    [InlineData("[0,1)", "[0,1)", true)]
    [InlineData("[0,9)", "[0,1)", false)]
    [InlineData("(0,9)", "[0,9)", false)]
    [InlineData("[0,1)", "[0,1]", false)]
    [InlineData("1", "-[0,1)", false)]
    [InlineData("(3, -1)", @"\left( 3, -1 \right)", true)]
    [InlineData(@"(3, \frac{\pi}{2})", @"\left( 3, \frac{\pi}{2} \right)", true)]
    [InlineData("(1,4.5)", @"(1,\frac{9}{2})", true)]
    [InlineData("(6,31,-1)", "(6, 31, -1)", true)]
    [InlineData("(6,31,-1)", "(6, -1, 31)", false)]
    [InlineData("(1,2)", "(1,2).", true)]
    [InlineData("(7,6)", "(6,7)", false)]
    [InlineData("(-6, 10)", "(-6,10)", true)]
    [InlineData(@"(-\infty, -3] \cup [2, \infty)", @"(-\infty,-3]\cup[2,\infty)", true)]
    [InlineData(@"[2, \infty) \cup (-\infty, -3]", @"(-\infty,-3]\cup[2,\infty)", true)]
    [InlineData(@"(-\infty, -3] \cup [2, \infty)", @"(-\infty,-3)\cup[2,\infty)", false)]
    [InlineData(@"[-1, -\frac{1}{2}) \cup (-\frac{1}{2}, 0) \cup (0, 1) \cup (1, \infty)", @"[-1, -\tfrac12) \cup (-\tfrac12, 0) \cup (0, 1) \cup (1, \infty)", true)]
    [InlineData(@"(2, 12) \cup (12, 102)", @"x \in (2,12) \cup (12,102)", true)]
    [InlineData(@"(-\infty, \infty)", @"\mathbb{R}", true)]
    [InlineData(@"(1, \infty)", @"(1, -\infty)", false)]
    [InlineData("[-3,2]", @"[-3, 2]", true)]
    [InlineData("[-3,2]", @"x \in [-3,2]", true)]
    [InlineData(@"\left(\frac{1}{5},\frac{1}{6}\right)", @"\left( \frac{1}{5}, \frac{1}{6} \right)", true)]
    [InlineData(@"\\left( \\frac{4}{3}, -\\frac{1}{3} \\right)", @"\left( \frac{4}{3}, -\frac{1}{3} \right)", true)]
    // Lists and sets (order does not matter), ± expansion
    [InlineData("-2,1", "1,-2", true)]
    [InlineData("-2,1", "-2", false)]
    [InlineData("-2, 1", "-2, 1, 3", false)]
    [InlineData(@"\{1,2\}", @"\{2,1\}", true)]
    [InlineData(@"\{1,2\}", "2, 1", true)]
    [InlineData(@"\{1,2\}", @"\{1,3\}", false)]
    [InlineData("(3,1)", "{1,3}", false)]
    [InlineData(@"12\text{ and }13", "12 and 13", true)]
    [InlineData(@"1 \pm \sqrt{19}", @"1 \pm \sqrt{19}", true)]
    [InlineData(@"1 \pm \sqrt{19}", @"1+\sqrt{19}, 1-\sqrt{19}", true)]
    [InlineData(@"1 \pm \sqrt{19}", @"1+\sqrt{19}", false)]
    [InlineData(@"3 \pm 2 \sqrt{2}", @"3 - 2\sqrt{2}, 3 + 2\sqrt{2}", true)]
    [InlineData(@"\{1\pm\sqrt{5},-2\}", @"-2, 1+\sqrt5, 1-\sqrt5", true)]
    [InlineData(@"\frac{-1 \pm \sqrt{5}}{2}", @"\frac{-1+\sqrt{5}}{2}, \frac{-1-\sqrt{5}}{2}", true)]
    [InlineData(@"\emptyset", @"\varnothing", true)]
    [InlineData(@"\emptyset", @"\{\}", true)]
    [InlineData(@"\emptyset", "0", false)]
    [InlineData("1, 2, 3", "1, 2, 3, ...", false)]
    [InlineData(@"\{-1\} \cup [0,7)", @"\{-1\} \cup [0,7)", true)]
    public void AreEquivalent_Collections(string gold, string predicted, bool expected)
    {
        Assert.Equal(expected, Verifier.AreEquivalent(gold, predicted));
    }

    [Theory]
    // x = 3 against 3, equality chains, equations up to a factor (Math-Verify relations)
    [InlineData("11", "x=11", true)]
    [InlineData("x = 11", "11", true)]
    [InlineData("k=1", "1", true)]
    [InlineData("x=3", "x=4", false)]
    [InlineData("x = 11", "x = 5+5+1 = 7 =11", true)]
    [InlineData("z = 1 + 1 = 2", "z = 3+3 = 2", true)]
    [InlineData("1 = \\zzz = x = 0", "0", true)]
    [InlineData("7 = 11a+c", "11a+c", false)]
    [InlineData("a +3z = 0", "0", false)]
    [InlineData("2x + z = 1", "1", false)]
    [InlineData("a^2 + b = 0", "0", false)]
    [InlineData("x = 1/3", @"x = 5+5+1 = 1/3 \approx 11", true)]
    [InlineData("11", @"x\approx11", true)]
    [InlineData("1/3", @"x=1/3\approx1.3", true)]
    [InlineData("2x+4y-3=0", @"y=-\frac{1}{2}x+\frac{3}{4}", true)]
    [InlineData("x^2/4 + y^2/3 = 1", "x^2/16 + y^2/12 = 1/4", true)]
    [InlineData("34x+45y-20z+100=0", "-34x-45y+20z-100=0", true)]
    [InlineData("x-2y+z-1=0", "x-2y+z+1=0", false)]
    [InlineData("y = 2x + 1", "y = 2x - 1", false)]
    [InlineData("y = 2x + 1", "2x + 1", true)]
    // Inequalities (direction and strictness matter)
    [InlineData("x >= 5", @"x \geq 5", true)]
    [InlineData("x < 3", @"x \lt 3", true)]
    [InlineData(@"x \leq 2", "x <= 2", true)]
    [InlineData("x != 3", @"x \neq 3", true)]
    [InlineData("x > 5", "x < 5", false)]
    [InlineData(@"x \geq 5", @"x \leq 5", false)]
    [InlineData(@"x \leq 5", @"5 \geq x", true)]
    [InlineData("x < 1", "-x > -1", true)]
    [InlineData("x < 1", "x > -1", false)]
    [InlineData("x <= 1", "-x >= -1", true)]
    [InlineData("x < 1", "x <= 1", false)]
    [InlineData(@"-2 \le x \le 7", @"x \in [-2,7]", true)]
    [InlineData(@"x \in [-2,7]", @"-2 \le x \le 7", false)]
    [InlineData(@"-2 < x \le 7", @"(-2, 7]", true)]
    [InlineData(@"-2 < x \le 7", @"[-2, 7]", false)]
    public void AreEquivalent_Relations(string gold, string predicted, bool expected)
    {
        Assert.Equal(expected, Verifier.AreEquivalent(gold, predicted));
    }

    [Theory]
    [InlineData(@"\begin{pmatrix}1 & 0 \\ 0 & 1\end{pmatrix}", @"\begin{pmatrix}1 & 0 \\ 0 & 1\end{pmatrix}", true)]
    [InlineData(@"\begin{bmatrix}0 & 0 \\0 & 0\end{bmatrix}", @"\begin{pmatrix}0 & 0 \\0 & 0\end{pmatrix}", true)]
    [InlineData(@"\begin{pmatrix}1 & 2 \\3 & 4\end{pmatrix}", @"\left[\begin{array}{cc}1 & 2 \\3 & 4\end{array}\right]", true)]
    [InlineData(@"\begin{pmatrix}\frac{1}{2} & \frac{3}{4} \\ \frac{5}{6} & \frac{7}{8}\end{pmatrix}", @"\begin{pmatrix}0.5 & 0.75 \\ \frac{10}{12} & 0.875\end{pmatrix}", true)]
    [InlineData(@"\begin{pmatrix}1 & 2 \\ 3 & 4\end{pmatrix}", @"\begin{pmatrix}1 & 2 \\ 3 & 5\end{pmatrix}", false)]
    [InlineData(@"\begin{pmatrix}1 & 2 \\ 3 & 4\end{pmatrix}", @"\begin{pmatrix}1 & 3 \\ 2 & 4\end{pmatrix}", false)]
    [InlineData(@"\begin{pmatrix} 3 \\ 2 \\ -6 \end{pmatrix}", @"\begin{pmatrix} 3 \\ 2 \\ -6 \end{pmatrix}", true)]
    public void AreEquivalent_Matrices(string gold, string predicted, bool expected)
    {
        Assert.Equal(expected, Verifier.AreEquivalent(gold, predicted));
    }

    [Theory]
    [InlineData(@"\text{C}", @"\text{(C)}", true)]
    [InlineData(@"\text{(C)}", "C", true)]
    [InlineData("C", "(C) 42", true)]
    [InlineData("E", @"\text{E}", true)]
    [InlineData("(B)", "(D)", false)]
    [InlineData("B", "b", false)]
    public void AreEquivalent_MultipleChoice(string gold, string predicted, bool expected)
    {
        Assert.Equal(expected, Verifier.AreEquivalent(gold, predicted));
    }
}
