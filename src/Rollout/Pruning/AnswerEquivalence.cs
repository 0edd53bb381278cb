using RlTrainer.Rewards.Verifiers;

namespace RlTrainer.Rollout.Pruning;

/// <summary>
/// Answer extraction and comparison for pruning decisions, through the reward verifier's own extractor and
/// normaliser, so that "these two answers agree" and "this answer is correct" mean what the reward will mean.
/// </summary>
public sealed class AnswerEquivalence(MathAnswerVerifier verifier)
{
    public AnswerEquivalence() : this(new MathAnswerVerifier()) { }

    /// <summary>An explicitly stated answer (<c>\boxed{}</c>, "answer is", "####") in <paramref name="text"/>, or null.
    /// No last-number fallback: an intermediate "= 10." is not a concluded answer.</summary>
    public static string? ExplicitAnswer(string text) => AnswerExtractor.FromCompletion(text, lastNumberFallback: false)?.Text;

    /// <summary>The answer the verifier would grade in a finished completion, or null.</summary>
    public string? FinalAnswer(string completion) =>
        AnswerExtractor.FromCompletion(completion, verifier.Options.LastNumberFallback)?.Text;

    /// <summary>True when the two answers are equivalent under the verifier (symmetric: either may play gold).</summary>
    public bool Equivalent(string a, string b) => verifier.AreEquivalent(a, b) == true || verifier.AreEquivalent(b, a) == true;

    /// <summary>Whether <paramref name="answer"/> is correct for <paramref name="groundTruth"/>; null when the ground
    /// truth cannot be graded.</summary>
    public bool? IsCorrect(string? answer, string? groundTruth)
    {
        var gold = groundTruth is null ? null : AnswerExtractor.FromGroundTruth(groundTruth);
        if (gold is null) return null;
        if (answer is null) return false;
        return verifier.AreEquivalent(gold, answer);
    }
}
