using System.Text.RegularExpressions;

namespace RlTrainer.Trainer.Data;

/// <summary>
/// Reads GSM8K's <c>answer</c> field: worked steps with <c>&lt;&lt;48/2=24&gt;&gt;</c> calculator annotations, then a
/// last line <c>#### 72</c>.
/// </summary>
public static partial class Gsm8kAnswer
{
    /// <summary>The number after the last <c>####</c>, thousands separators removed ("1,200" → "1200"); null if none.</summary>
    public static string? GroundTruth(string answer)
    {
        var at = answer.LastIndexOf("####", StringComparison.Ordinal);
        if (at < 0) return null;
        var value = answer[(at + 4)..].Trim().Replace(",", "", StringComparison.Ordinal);
        return value.Length == 0 ? null : value;
    }

    /// <summary>
    /// An SFT target from the worked answer: calculator annotations removed and the <c>#### N</c> line replaced by
    /// <c>\boxed{N}</c>, so it ends the way the math verifier reads answers. Null when there is no <c>####</c>.
    /// </summary>
    public static string? Target(string answer)
    {
        var truth = GroundTruth(answer);
        if (truth is null) return null;
        var steps = answer[..answer.LastIndexOf("####", StringComparison.Ordinal)];
        steps = CalculatorAnnotation().Replace(steps, "").TrimEnd();
        return steps.Length == 0 ? $"\\boxed{{{truth}}}" : $"{steps}\n\\boxed{{{truth}}}";
    }

    [GeneratedRegex("<<[^>]*>>")]
    private static partial Regex CalculatorAnnotation();
}
