using System.Text.RegularExpressions;
using RlTrainer.Rewards.Verifiers;

namespace RlTrainer.Rewards.Functions;

/// <summary>
/// <c>external_redundancy</c> (docs/algorithms.md#external-redundancy, "Reconsidering Overthinking"): for a correct completion, −ERD, where
/// ERD = tokens after the end of the first correct solution / tokens of the reasoning (the text before
/// <c>&lt;/think&gt;</c>, or the whole completion without one); 0 for a wrong completion; null when the ground truth
/// cannot be graded. With weight 1 next to <c>math_accuracy</c> (weight 1) the total is acc · (1 − ERD), the paper's
/// product form. The first correct solution ends after the first explicit answer (box, "answer is") equivalent to the
/// gold answer, else after the first standalone occurrence of the answer string; when neither exists ERD is 0 (no
/// penalty), not the original code's reward 0. Token counts come from <see cref="RewardInput.TokenCharEnds"/>;
/// without them characters are counted instead.
/// </summary>
public sealed partial class ExternalRedundancyReward : IRewardFunction
{
    public const string TypeName = "external_redundancy";

    public ExternalRedundancyReward(MathVerifierOptions? options = null) => Verifier = new MathAnswerVerifier(options);

    public string Type => TypeName;

    public MathAnswerVerifier Verifier { get; }

    public double? Score(RewardInput input)
    {
        var verdict = Verifier.Verify(input.AnswerText, input.GroundTruth);   // the verdict math_accuracy gives
        if (verdict.IsCorrect is not { } correct) return null;
        if (!correct) return 0.0;
        return -Degree(input, verdict.ExtractedAnswer);
    }

    /// <summary>ERD of a completion already known to be correct: in [0, 1).</summary>
    public double Degree(RewardInput input, string? extracted)
    {
        var completion = input.Completion ?? "";
        var thinkEnd = completion.IndexOf("</think>", StringComparison.Ordinal);
        var reasoning = thinkEnd >= 0 ? completion[..thinkEnd] : completion;
        var gold = input.GroundTruth is null ? null : AnswerExtractor.FromGroundTruth(input.GroundTruth);
        if (gold is null || reasoning.Length == 0) return 0.0;
        var end = FirstCorrectSolutionEnd(reasoning, gold, extracted);
        if (end is not { } e || e >= reasoning.Length) return 0.0;
        if (input.TokenCharEnds is { Count: > 0 } ends)
        {
            int total = thinkEnd < 0 ? ends.Count : ends.Count(x => x <= reasoning.Length);
            int before = ends.Count(x => x <= e);
            return total == 0 ? 0.0 : Math.Max(0, total - before) / (double)total;
        }
        return (reasoning.Length - e) / (double)reasoning.Length;
    }

    /// <summary>Character offset where the first correct solution ends in <paramref name="reasoning"/>, or null.</summary>
    public int? FirstCorrectSolutionEnd(string reasoning, string gold, string? extracted)
    {
        foreach (var end in ExplicitAnswerEnds(reasoning))
        {
            var answer = AnswerExtractor.FromCompletion(reasoning[..end], lastNumberFallback: false)?.Text;
            if (answer is not null && Verifier.AreEquivalent(gold, answer) == true) return end;
        }
        foreach (var literal in new[] { extracted, gold }.Where(s => !string.IsNullOrWhiteSpace(s)).Distinct())
        {
            var match = Regex.Match(reasoning.ToLowerInvariant(),
                @"(?<![\d+\-*/^<>%&|!()\[\],.?])" + Regex.Escape(literal!.Trim().ToLowerInvariant()) + @"(?![\d])");
            if (match.Success) return match.Index + match.Length;
        }
        return null;
    }

    /// Where an explicit answer can end: after each box's closing brace and after each "answer is …" sentence.
    private static IEnumerable<int> ExplicitAnswerEnds(string text)
    {
        var ends = new SortedSet<int>();
        foreach (Match m in BoxStart().Matches(text))
        {
            int depth = 0;
            for (int i = m.Index + m.Length - 1; i < text.Length; i++)
            {
                if (text[i] == '{') depth++;
                else if (text[i] == '}' && --depth == 0) { ends.Add(i + 1); break; }
            }
        }
        foreach (Match m in AnswerPhrase().Matches(text)) ends.Add(m.Index + m.Length);
        return ends;
    }

    [GeneratedRegex(@"\\(?:boxed|fbox)\s*\{")]
    private static partial Regex BoxStart();

    [GeneratedRegex(@"answer(?: is|:)[^\n]*?(?:[.!?](?=\s|$)|\n|$)", RegexOptions.IgnoreCase)]
    private static partial Regex AnswerPhrase();
}
