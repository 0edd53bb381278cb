using System.Text;
using System.Text.RegularExpressions;

namespace RlTrainer.Trainer.Data.Generation;

/// <summary>What a re-check segment says: the last step worked again, or only the answer said again.</summary>
public enum RecheckStyle
{
    /// <summary>"Wait, let me check: 10 / 2 = 5. \boxed{5}": the last step written out again (a slip there can change the answer).</summary>
    Recompute,

    /// <summary>"Hmm, so the answer is 5. \boxed{5}": the answer restated with no arithmetic to get wrong.</summary>
    Restate,
}

/// <summary>
/// Adds realistic redundancy to worked arithmetic targets (issue 9, point 6): after the boxed answer, one to three
/// re-check segments that start with a reflection marker ("\n\nWait", "\n\nBut", "\n\nHmm") and re-state the last step
/// and the answer, then a "**Final Answer**" line. A model fine-tuned on these writes traces that trace pruning can
/// act on, unlike the bundled model's clean "7 + 3 = 10. \boxed{10}". Its own seeded stream, so the problems drawn are
/// the same as without it.
/// </summary>
public static partial class RecheckAugmenter
{
    private static readonly string[] Templates =
    [
        "\n\nWait, let me check: {0}. \\boxed{{{1}}}",
        "\n\nBut let me verify again: {0}. The answer is {1}.",
        "\n\nHmm, so the answer is {1}. \\boxed{{{1}}}",
    ];

    private static readonly string[] RestateTemplates =
    [
        "\n\nWait, the answer is {1}, yes. \\boxed{{{1}}}",
        "\n\nBut to be sure: the answer is {1}.",
        "\n\nHmm, so the answer is {1}. \\boxed{{{1}}}",
    ];

    /// <summary>The target with re-checks appended with probability <paramref name="rate"/>; the number added (0–3).</summary>
    public static (string Target, int Rechecks) Augment(string target, string answer, double rate, SplitMix64 random,
        RecheckStyle style = RecheckStyle.Recompute)
    {
        if (rate <= 0 || random.NextUInt64() % 1_000_000 >= rate * 1_000_000) return (target, 0);
        var last = LastStep().Matches(target) is { Count: > 0 } m ? m[^1].Groups[1].Value : answer;
        int count = random.Next(1, 3);
        var text = new StringBuilder(target);
        var templates = style == RecheckStyle.Restate ? RestateTemplates : Templates;
        for (int i = 0; i < count; i++) text.AppendFormat(random.Pick(templates), last, answer);
        text.Append("\n\n**Final Answer**\n\\boxed{").Append(answer).Append('}');
        return (text.ToString(), count);
    }

    [GeneratedRegex(@"(\d+ [-+*/] \d+ = \d+)\.")]
    private static partial Regex LastStep();
}
