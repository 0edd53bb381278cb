namespace RlTrainer.Trainer.Evaluation;

/// <summary>
/// maj@k: the answer given most often among the first k samples is the model's answer; the problem counts as solved
/// when that answer is correct.
/// </summary>
public static class MajorityAtK
{
    /// <summary>
    /// 1 when the majority answer of samples 0..k−1 is correct, else 0. Samples without an extracted answer (null)
    /// do not vote; if none votes the score is 0. A tie goes to the tied answer that appeared first, so the result
    /// depends only on the sample order, never on hashing or sorting.
    /// </summary>
    /// <param name="answers">Each sample's extracted answer, already normalised so equal answers are equal strings.</param>
    /// <param name="correct">Whether each sample's answer is correct (as the verifier judged it).</param>
    /// <param name="k">How many leading samples vote (1..count).</param>
    public static double Score(IReadOnlyList<string?> answers, IReadOnlyList<bool> correct, int k)
    {
        if (answers.Count != correct.Count)
            throw new ArgumentException($"{answers.Count} answers but {correct.Count} correctness flags", nameof(correct));
        if (k < 1 || k > answers.Count) throw new ArgumentOutOfRangeException(nameof(k), k, $"k must be in [1, {answers.Count}]");

        var votes = new Dictionary<string, (int Count, int First)>(StringComparer.Ordinal);
        for (var i = 0; i < k; i++)
        {
            if (answers[i] is not { } answer) continue;
            votes[answer] = votes.TryGetValue(answer, out var v) ? (v.Count + 1, v.First) : (1, i);
        }

        if (votes.Count == 0) return 0.0;
        var winner = votes.Values.OrderByDescending(v => v.Count).ThenBy(v => v.First).First();
        return correct[winner.First] ? 1.0 : 0.0;
    }
}
