using RlTrainer.Rewards.Verifiers;

namespace RlTrainer.Rewards.Tests.Verifiers;

/// Expected values from Python's int and fractions.Fraction.
public class ExactCalculatorTests
{
    private static string Eval(string e) => ExactCalculator.Evaluate(e, TimeSpan.FromSeconds(5));

    [Theory]
    [InlineData("123*456", "56088")]
    [InlineData("123456789012345678901234567890 * 987654321098765432109876543210",
        "121932631137021795226185032733622923332237463801111263526900")]
    [InlineData("2^200", "1606938044258990275541962092341162602522202993782792835301376")]
    [InlineData("(7/3)^2", "49/9")]
    [InlineData("1/3 + 1/6", "1/2")]
    [InlineData("-22/7 * 3/4", "-33/14")]
    [InlineData("12345678901234567890 / 98765432109876543210", "13717421/109739369")]
    [InlineData("0.1 + 0.2", "3/10")]
    [InlineData("\\frac{3}{4} \\times 8", "6")]
    [InlineData("(2+3)*(4-1)", "15")]
    public void ExactResults(string expression, string expected) => Assert.Equal(expected, Eval(expression));

    [Fact]
    public void AfterAnIrrationalStep_TheDoubleInRoundTripForm() => Assert.Equal("1.4142135623730951", Eval("sqrt(2)"));

    [Theory]
    [InlineData("12*/3", "error: cannot parse the expression \"12*/3\"")]
    [InlineData("", "error: the expression is empty")]
    [InlineData("1/0", "error: the expression \"1/0\" has no value (division by zero, a variable, or a list?)")]
    [InlineData("x + 1", "error: the expression \"x + 1\" has no value (division by zero, a variable, or a list?)")]
    [InlineData("((((1)", "error: cannot parse the expression \"((((1)\"")]
    public void BadExpressions_AnswerAnErrorText(string expression, string expected) => Assert.Equal(expected, Eval(expression));

    [Fact]
    public void AHugeInput_IsRefusedBeforeParsing()
    {
        var text = string.Join("+", Enumerable.Repeat("1", 1500));
        Assert.Equal("error: the expression has 2999 characters; at most 2000 are read", Eval(text));
    }
}
