namespace RlTrainer.Trainer.Evaluation;

/// <summary>
/// The unbiased pass@k estimator of Chen et al. (2021), "Evaluating Large Language Models Trained on Code": with n
/// samples of which c are correct, pass@k = 1 − C(n−c, k) / C(n, k), the chance that k samples drawn without
/// replacement include a correct one.
/// </summary>
public static class PassAtK
{
    /// <summary>
    /// pass@k for one problem, as 1 − ∏_{i=n−c+1}^{n} (1 − k/i): the same ratio of binomials written as a product,
    /// which neither overflows nor loses precision for n in the hundreds (the binomials themselves would).
    /// </summary>
    /// <param name="n">Samples drawn (≥ 1).</param>
    /// <param name="c">Correct samples (0..n).</param>
    /// <param name="k">The k of pass@k (1..n).</param>
    public static double Estimate(int n, int c, int k)
    {
        if (n < 1) throw new ArgumentOutOfRangeException(nameof(n), n, "need at least one sample");
        if (c < 0 || c > n) throw new ArgumentOutOfRangeException(nameof(c), c, $"correct count must be in [0, n = {n}]");
        if (k < 1 || k > n) throw new ArgumentOutOfRangeException(nameof(k), k, $"k must be in [1, n = {n}]");
        // Fewer wrong samples than k: every draw of k contains a correct one.
        if (n - c < k) return 1.0;
        var allWrong = 1.0;
        for (var i = n - c + 1; i <= n; i++) allWrong *= 1.0 - (double)k / i;
        return 1.0 - allWrong;
    }

    /// <summary>The mean of <see cref="Estimate"/> over problems, each given as (samples, correct).</summary>
    public static double Mean(IEnumerable<(int N, int C)> problems, int k)
    {
        var (sum, count) = (0.0, 0);
        foreach (var (n, c) in problems)
        {
            sum += Estimate(n, c, k);
            count++;
        }

        if (count == 0) throw new ArgumentException("no problems to average", nameof(problems));
        return sum / count;
    }
}
