using System.Globalization;
using System.Text.Json;
using RlTrainer.Rewards.Verifiers;

namespace RlTrainer.Rollout.Tools;

/// <summary>
/// The built-in <c>calculator</c>: exact arithmetic with the verifier's rational evaluator (<see cref="ExactCalculator"/>).
/// Argument <c>{"expression": "123*456"}</c> (a JSON number is accepted too); answer "56088", "49/9", or an
/// "error: ..." text. Its description and schema below are what the model sees in the system prompt; the tiny-math-tools
/// SFT data uses exactly these strings (docs/algorithms.md#tool-calls), so change them together.
/// </summary>
public sealed class CalculatorTool : ITool
{
    public const string ToolName = "calculator";

    public const string DescriptionText = "Evaluates an arithmetic expression exactly: integers, decimals and fractions with " +
        "+ - * / ^ and parentheses. Returns the exact value (an integer or a reduced fraction p/q) or an error message.";

    private const string Schema = """
        {"type": "object", "properties": {"expression": {"type": "string", "description": "The expression to evaluate, for example 123*456 or (7/3)^2"}}, "required": ["expression"]}
        """;

    private readonly TimeSpan _evaluationLimit;

    /// <param name="evaluationLimit">Budget of one evaluation (the verifier's own clock; the call's time limit also applies).</param>
    public CalculatorTool(TimeSpan? evaluationLimit = null)
    {
        _evaluationLimit = evaluationLimit ?? TimeSpan.FromSeconds(1);
        using var schema = JsonDocument.Parse(Schema);
        Description = new ToolDescription(ToolName, DescriptionText, schema.RootElement.Clone());
    }

    public ToolDescription Description { get; }

    public Task<ToolAnswer> CallAsync(JsonElement arguments, CancellationToken ct)
    {
        if (arguments.ValueKind != JsonValueKind.Object || !arguments.TryGetProperty("expression", out var e))
            return Task.FromResult(new ToolAnswer("error: the calculator needs a string argument \"expression\"", true));
        string? expression = e.ValueKind switch
        {
            JsonValueKind.String => e.GetString(),
            JsonValueKind.Number => e.GetRawText(),
            _ => null,
        };
        if (expression is null)
            return Task.FromResult(new ToolAnswer($"error: \"expression\" must be a string, got {e.ValueKind.ToString().ToLowerInvariant()}", true));
        // Off the sampler's thread, so that the caller's time limit holds even for a slow evaluation.
        return Task.Run(() =>
        {
            var text = ExactCalculator.Evaluate(expression, _evaluationLimit);
            return new ToolAnswer(text, text.StartsWith("error: ", StringComparison.Ordinal));
        }, ct);
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{ToolName} (built-in)");
}
