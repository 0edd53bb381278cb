namespace RlTrainer.Trainer.Evaluation;

/// <summary>avg@k: the mean reward (or correctness) of the first k samples of a problem.</summary>
public static class AverageAtK
{
    /// <summary>The mean of <paramref name="scores"/>[0..k−1].</summary>
    public static double Score(IReadOnlyList<double> scores, int k)
    {
        if (k < 1 || k > scores.Count) throw new ArgumentOutOfRangeException(nameof(k), k, $"k must be in [1, {scores.Count}]");
        var sum = 0.0;
        for (var i = 0; i < k; i++) sum += scores[i];
        return sum / k;
    }

    /// <summary>The share of correct samples among the first k.</summary>
    public static double Score(IReadOnlyList<bool> correct, int k) =>
        Score(correct.Select(c => c ? 1.0 : 0.0).ToArray(), k);
}
