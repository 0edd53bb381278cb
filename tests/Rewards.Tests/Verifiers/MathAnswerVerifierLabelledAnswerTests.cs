using RlTrainer.Rewards.Verifiers;

namespace RlTrainer.Rewards.Tests.Verifiers;

/// <summary>
/// The rules that make the verifier judge as Math-Verify does (issue 19, point 5): labelled values and equations
/// with a name on the left, ratios, answers in several parts or several boxes, semicolon groups, decimal commas in
/// plain text, an open pair against a two-element set, and the two Math-Verify switches. Every expected value is
/// worked by hand next to its case; each "true" rule has "false" neighbours so that a rule cannot pass by accepting all.
/// </summary>
public class MathAnswerVerifierLabelledAnswerTests
{
    private static readonly MathAnswerVerifier Verifier = new();

    [Theory]
    // A name on the left states a labelled value: the right side is graded against a bare answer.
    [InlineData("x = 5", "5", true)]
    [InlineData("x = 5", "6", false)]
    [InlineData("x = 5", "x = 5", true)]
    [InlineData("x = 5", "y = 5", false)]                      // the names are part of the answer
    [InlineData("5", "x = 5", true)]
    [InlineData("|AB| = 1", "1", true)]
    [InlineData("|AB| = 1", "2", false)]
    [InlineData("|AB| = 1", "|AB| = 1", true)]
    [InlineData("|AB| = 1", "|CD| = 1", false)]
    [InlineData("f(x) = 1", "1", true)]
    [InlineData("f(x) = 1", "f(x) = 2", false)]
    [InlineData("f(x) = x^2 + 1", "1 + x^2", true)]
    [InlineData(@"\frac{NO}{BO}=\frac{1}{\sqrt{6}}", @"\frac{\sqrt{6}}{6}", true)]  // 1/√6 = √6/6
    [InlineData(@"\frac{NO}{BO}=\frac{1}{\sqrt{6}}", @"\frac{1}{6}", false)]
    // A number or a sum on the left is an equation, not a label: "2x + z = 1" does not answer 1.
    [InlineData("2x + z = 1", "1", false)]
    [InlineData("x + z = 1", "1", false)]
    [InlineData("7 = 11a + c", "11a + c", false)]
    // Ratios are quotients, as latex2sympy2 reads ':'.
    [InlineData("S_{ABC}:S = 7:32", "7:32", true)]
    [InlineData("S_{ABC}:S = 7:32", "0.21875", true)]         // 7/32 = 0.21875 exactly
    [InlineData("S_{ABC}:S = 7:32", "7:31", false)]
    [InlineData("S_{ABC}:S = 7:32", "32:7", false)]
    [InlineData("V_{1}:V_{2}=11:21", "11:21", true)]
    [InlineData("A:B = 1", "1", true)]
    [InlineData("2:3", "4:6", true)]                           // 2/3 = 4/6
    [InlineData("2:3", "3:2", false)]
    [InlineData("2:3", @"\frac{2}{3}", true)]
    [InlineData("12:00", "1:00", false)]                       // 12/0 and 1/0 are undefined: only the same text matches
    [InlineData(@"\{x : x > 0\}", @"\{x : x < 5\}", null)]     // set-builder ':' is no ratio: not gradable, never equal
    // Several parts in one answer, in any order, against their values.
    [InlineData("x = -5, p = \\frac{14}{3}", @"-5, \frac{14}{3}", true)]
    [InlineData("x = -5, p = \\frac{14}{3}", @"-5, \frac{14}{5}", false)]
    [InlineData("a_3 = 2, a_{37} = 19", "a_{37} = 19, a_3 = 2", true)]
    [InlineData("a_3 = 2, a_{37} = 19", "a_{37} = 2, a_3 = 19", false)]
    // Semicolons separate solutions; commas the parts of one solution.
    [InlineData("p=5,q=2;p=7,q=2", "(5,2),(7,2)", true)]
    [InlineData("p=5,q=2;p=7,q=2", "(2,5),(7,2)", false)]
    [InlineData("-12;-11;-10", @"\{-10, -11, -12\}", true)]
    [InlineData("(0;-2;6),(4;0;0)", "(4, 0, 0), (0, -2, 6)", true)]
    [InlineData("(0;-2;6),(4;0;0)", "(4, 0, 0), (0, 6, -2)", false)]
    // An open pair is an interval to Math-Verify: it matches the two-element set it bounds, in order.
    [InlineData("(1,3)", "{1,3}", true)]
    [InlineData("(3,1)", "{1,3}", false)]                      // Interval(3, 1) is empty
    [InlineData("(1,3)", "{3,1}", false)]
    [InlineData("1, 3", "(1, 3)", true)]
    [InlineData("(1,3)", "[1,3]", false)]
    // A chain on a name, and on an absolute value with a positive lower bound.
    [InlineData("0<f(x)<1", "(0,1)", true)]
    [InlineData("0<f(x)<1", "[0,1)", false)]
    [InlineData("0 < x/y < 1", "(0,1)", false)]               // two variables: no interval
    [InlineData(@"1\leq|z|\leq \frac{3}{2}", @"z \in \left[-\frac{3}{2}, -1\right] \cup \left[1, \frac{3}{2}\right]", true)]
    [InlineData(@"1\leq|z|\leq \frac{3}{2}", @"\left[1, \frac{3}{2}\right]", false)]
    [InlineData(@"1\leq|z|\leq \frac{3}{2}", @"\left(-\frac{3}{2}, -1\right] \cup \left[1, \frac{3}{2}\right]", false)]
    public void AreEquivalent_LabelsRatiosAndParts(string gold, string predicted, bool? expected)
    {
        Assert.Equal(expected, Verifier.AreEquivalent(gold, predicted));
    }

    [Theory]
    // Several boxes answer together when Math-Verify joins them (close, or a separator between).
    [InlineData(@"The integers are \boxed{-2} and \boxed{1}.", "1, -2", true)]
    [InlineData(@"The integers are \boxed{-2} and \boxed{1}.", "1", false)]
    [InlineData(@"\boxed{1} papers and \boxed{2} bins", "1, 2", true)]
    [InlineData(@"\boxed{1} no no no no no \boxed{2}", "1, 2", false)]  // too far apart without a separator: only 2
    [InlineData(@"\boxed{1} no no no no no \boxed{2}", "2", true)]
    [InlineData(@"$$\boxed{(3, 3)} \text{ for part (a) and } \boxed{(1, 1)}$$", "(3, 3), (1, 1)", true)]
    [InlineData(@"$$\boxed{k = 45} \quad \text{and} \quad \boxed{n = 2}$$", "k = 45, n = 2", true)]
    [InlineData(@"$$\boxed{k = 45} \quad \text{and} \quad \boxed{n = 2}$$", "k = 2, n = 45", false)]
    [InlineData(@"\($y_1 = \boxed{-2(x - 1)^2 + 5} \) and \( y_2 = \boxed{3(x + 2)^2 - 2} \)", "y_{1}=-2 x^{2}+4 x+3, y_{2}=3 x^{2}+12 x+10", true)]
    [InlineData(@"\($y_1 = \boxed{-2(x - 1)^2 + 5} \) and \( y_2 = \boxed{3(x + 2)^2 - 3} \)", "y_{1}=-2 x^{2}+4 x+3, y_{2}=3 x^{2}+12 x+10", false)]
    // A gold with several boxes is several parts too.
    [InlineData(@"$\boxed{1,2}$", @"\boxed{1} papers and \boxed{2} bins", true)]
    [InlineData(@"$\boxed{1,2}$", @"\boxed{1} no no no no no \boxed{2}", false)]
    // Decimal commas: plain text only, tried after the list reading.
    [InlineData("1000,99", "1000.99", true)]
    [InlineData("0.111", "0,111", true)]
    [InlineData("Soucis : 2,74 $ a..", "2.74", true)]
    [InlineData("1,000", "1", false)]                          // a thousands separator, never 1.000
    [InlineData("1.22", "$1,22$", false)]                      // LaTeX "1,22" is the list {1, 22}
    [InlineData("1, 22", "1,22", true)]                        // the list reading still comes first
    // A worked solution as gold: its "final answer is …".
    [InlineData(@"$\boxed{28\%}$", @"So the loss is 28 percent. Final Answer: The final answer is $28 \%$. I hope it is correct. Note: check it.", true)]
    [InlineData(@"$\boxed{27\%}$", @"So the loss is 28 percent. Final Answer: The final answer is $28 \%$. I hope it is correct. Note: check it.", false)]
    public void Verify_MultiPartAnswers(string completion, string groundTruth, bool expected)
    {
        var result = Verifier.Verify(completion, groundTruth);
        Assert.Null(result.Error);
        Assert.Equal(expected, result.IsCorrect);
    }

    [Fact]
    public void AllowSetRelation_LetsAGoldIntervalAcceptItsInequalities()
    {
        var strict = new MathAnswerVerifier();
        var allowing = new MathAnswerVerifier(new MathVerifierOptions { AllowSetRelation = true });
        Assert.False(strict.AreEquivalent(@"x \in [-2,7]", @"-2 \le x \le 7"));
        Assert.True(allowing.AreEquivalent(@"x \in [-2,7]", @"-2 \le x \le 7"));
        Assert.False(allowing.AreEquivalent(@"x \in [-2,7]", @"-2 < x \le 7"));    // open end differs
        Assert.True(strict.AreEquivalent(@"-2 \le x \le 7", @"x \in [-2,7]"));    // a gold relation always accepts its set
    }

    [Fact]
    public void PlainNumberFallbackOff_TakesOnlyLatexMath()
    {
        var latexOnly = new MathAnswerVerifier(new MathVerifierOptions { PlainNumberFallback = false });
        Assert.True(Verifier.Verify("Answer 9", "9").IsCorrect);
        Assert.False(latexOnly.Verify("Answer 9", "9").IsCorrect);
        Assert.True(latexOnly.Verify("Answer $ 9 $", "9").IsCorrect);
        Assert.False(latexOnly.Verify("Answer $ \n 9 \n $", "9").IsCorrect);     // inline math never spans lines
        Assert.False(latexOnly.Verify("Answer \\( \n 9 \n \\)", "9").IsCorrect);
        Assert.True(latexOnly.Verify("Answer \\[ \n 9 \n \\]", "9").IsCorrect);  // display math may
    }
}
