using System.Text.RegularExpressions;
using RlTrainer.Rewards.Verifiers;

namespace RlTrainer.Rewards.Functions;

/// <summary>
/// <c>format</c>: 1 when the completion is in the expected format (<see cref="FormatStyle"/>), else 0. It checks
/// form only, never correctness, and is never null.
/// </summary>
public sealed partial class FormatReward : IRewardFunction
{
    public const string TypeName = "format";

    /// <summary>A user pattern gets this long per completion; a catastrophic one scores 0 instead of stalling.</summary>
    private static readonly TimeSpan PatternTimeout = TimeSpan.FromMilliseconds(100);

    private readonly FormatRewardOptions _options;
    private readonly Regex? _pattern;

    /// <exception cref="ArgumentException">when the style needs a pattern that is missing or invalid.</exception>
    public FormatReward(FormatRewardOptions? options = null)
    {
        _options = options ?? new FormatRewardOptions();
        if (_options.Style == FormatStyle.Regex)
        {
            if (string.IsNullOrEmpty(_options.Pattern)) throw new ArgumentException("style \"regex\" needs a \"pattern\"");
            _pattern = new Regex($"^(?:{_options.Pattern})$", RegexOptions.Singleline | RegexOptions.CultureInvariant, PatternTimeout);
        }
        else if (_options.Pattern is not null) throw new ArgumentException("\"pattern\" is only used with style \"regex\"");
    }

    public string Type => TypeName;

    public double? Score(RewardInput input) => Matches(input.Completion ?? "") ? 1.0 : 0.0;

    private bool Matches(string completion)
    {
        switch (_options.Style)
        {
            case FormatStyle.Boxed:
                return HasBox(Conclusion(completion));
            case FormatStyle.Gsm8k:
                return Gsm8kLine().IsMatch(completion);
            case FormatStyle.ThinkThenAnswer:
                return SplitThink(completion) is { } parts && parts.Answer.Trim().Length > 0;
            case FormatStyle.ThinkThenBoxed:
                return SplitThink(completion) is { } boxedParts && HasBox(boxedParts.Answer);
            case FormatStyle.Regex:
                try { return _pattern!.IsMatch(completion); }
                catch (RegexMatchTimeoutException) { return false; }
            default:
                return false;
        }
    }

    private static string Conclusion(string completion)
    {
        var end = completion.LastIndexOf("</think>", StringComparison.Ordinal);
        return end < 0 ? completion : completion[(end + "</think>".Length)..];
    }

    private static bool HasBox(string text) =>
        AnswerExtractor.FindLastBox(text, out var truncated) is { } box && !truncated && box.Content.Trim().Length > 0;

    private static (string Reasoning, string Answer)? SplitThink(string completion)
    {
        var close = completion.IndexOf("</think>", StringComparison.Ordinal);
        if (close < 0 || completion.IndexOf("</think>", close + 1, StringComparison.Ordinal) >= 0) return null;
        var reasoning = completion[..close];
        var open = reasoning.IndexOf("<think>", StringComparison.Ordinal);
        if (open >= 0) reasoning = reasoning[(open + "<think>".Length)..];
        if (reasoning.Trim().Length == 0) return null;
        return (reasoning, completion[(close + "</think>".Length)..]);
    }

    [GeneratedRegex(@"^####[ \t]*[-+]?\$?[0-9][0-9,]*(?:\.[0-9]+)?[ \t]*\r?$", RegexOptions.Multiline)]
    private static partial Regex Gsm8kLine();
}
