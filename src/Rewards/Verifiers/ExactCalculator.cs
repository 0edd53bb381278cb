using System.Globalization;

namespace RlTrainer.Rewards.Verifiers;

/// <summary>
/// The verifier's own parser and rational evaluator as a calculator (the built-in <c>calculator</c> tool): exact over
/// integers and fractions of any size, double precision only after an irrational step (√2, π). Never throws on its
/// input: a bad expression gives a one-line text starting with <c>error: </c>, which the model reads as the tool's answer.
/// </summary>
public static class ExactCalculator
{
    /// <summary>Input past this many characters is refused before parsing (the normalizer's own limit is larger).</summary>
    public const int MaxExpressionLength = 2_000;

    /// <summary>
    /// The value of <paramref name="expression"/> as text: an integer ("56088", "-3"), a reduced fraction ("49/9"), or
    /// a double in round-trip form ("1.4142135623730951"); else a text starting with "error: ".
    /// </summary>
    /// <param name="timeLimit">Wall-clock budget of parsing and evaluation.</param>
    public static string Evaluate(string? expression, TimeSpan timeLimit)
    {
        if (string.IsNullOrWhiteSpace(expression)) return "error: the expression is empty";
        if (expression.Length > MaxExpressionLength)
            return $"error: the expression has {expression.Length} characters; at most {MaxExpressionLength} are read";
        var budget = new VerifierBudget(timeLimit);
        try
        {
            // The answer normalizer reads LaTeX (\frac, \times, \cdot) and drops units and $ signs, as it does for answers.
            var node = MathExpressionParser.TryParse(LatexNormalizer.Normalize(expression), budget);
            if (node is null) return $"error: cannot parse the expression {Quote(expression)}";
            var value = ExpressionEvaluator.Evaluate(node, new Dictionary<string, Scalar>(), budget);
            if (value.IsUndefined) return $"error: the expression {Quote(expression)} has no value (division by zero, a variable, or a list?)";
            if (value.IsExact) return value.Exact.ToString();
            return double.IsFinite(value.Value) ? value.Value.ToString("R", CultureInfo.InvariantCulture)
                : $"error: the value of {Quote(expression)} is not finite";
        }
        catch (VerifierTimeoutException)
        {
            return $"error: the expression {Quote(expression)} took longer than {timeLimit.TotalSeconds:0.###} s to evaluate";
        }
    }

    /// The expression in quotes, cut so that an error text stays one short line.
    private static string Quote(string expression) =>
        "\"" + (expression.Length > 80 ? expression[..77] + "..." : expression).ReplaceLineEndings(" ") + "\"";
}
