using RlTrainer.Trainer.Training;
using static TorchSharp.torch;

namespace RlTrainer.Trainer.Engines;

/// <summary>
/// Applies the importance weights (docs/algorithms.md#remote-importance-sampling) by scaling each token's advantage: every objective's policy term is A times a
/// function of the ratio, and a weight ρ ≥ 0 keeps the sign of A, so loss(ρ·A) = ρ·loss(A), with the KL and entropy
/// terms left unweighted as in TRL.
/// </summary>
public static class ImportanceWeightedAdvantages
{
    /// <summary>(b, T−1) per-token advantages aligned like the micro-batch's log-probs (T = longest prompt + completion),
    /// or null when no row carries weights (the (b,) advantages are used as they are).</summary>
    public static Tensor? Build(IReadOnlyList<RolloutSample> rows, IReadOnlyList<double> advantages, Device device)
    {
        if (rows.All(r => r.IsWeights is null)) return null;
        int b = rows.Count, t = rows.Max(r => r.PromptIds.Count + r.CompletionIds.Count);
        var values = new float[b * (t - 1)];
        for (int i = 0; i < b; i++)
        {
            var r = rows[i];
            int p = r.PromptIds.Count;
            for (int j = 0; j < r.CompletionIds.Count; j++)
                values[i * (t - 1) + p + j - 1] = (float)(advantages[i] * (r.IsWeights?[j] ?? 1f));
        }
        return tensor(values, new long[] { b, t - 1 }, device: device);
    }
}
