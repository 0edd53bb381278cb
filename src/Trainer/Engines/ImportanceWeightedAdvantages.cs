using RlTrainer.Trainer.Training;
using static TorchSharp.torch;
using RlTrainer.Trainer.Contracts;

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
        return RightPaddedBatch.Of(rows).PerContinuationToken((i, j) => (float)(advantages[i] * (rows[i].IsWeights?[j] ?? 1f)), device);
    }
}
