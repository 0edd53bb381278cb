using RlTrainer.Rollout.Model;
using TorchSharp;
using static TorchSharp.torch;

namespace RlTrainer.Trainer.Objectives;

/// <summary>
/// The per-token pieces of TRL's clipped surrogate (grpo_trainer.py _compute_loss): importance log-weights and
/// l = −min(w·A, clamp(w, 1 − ε_low, 1 + ε_high)·A). Where the clamped branch is the minimum, ∂l/∂ℓ = 0.
/// </summary>
public static class ClippedSurrogate
{
    /// <summary>
    /// logRatio ℓ − ℓ^old (B,T), mask (B,T) of 0/1 → log w: (B,T) at token level; (B,1) at sequence level (GSPO),
    /// Σ_t m·(ℓ − ℓ^old) / max(Σ_t m, 1), nothing detached, so the sequence ratio's gradient reaches every token.
    /// </summary>
    public static Tensor LogImportanceWeights(Tensor logRatio, Tensor mask, ImportanceSamplingLevel level)
    {
        if (level == ImportanceSamplingLevel.Token) return logRatio.alias();
        if (level != ImportanceSamplingLevel.Sequence)
            throw new ArgumentOutOfRangeException(nameof(level), level, "unknown importance sampling level.");
        using var scope = NewDisposeScope();
        using var one = 1.0.ToScalar();                                  // Scalars are made explicitly and disposed after use (see FixedScalars): this runs per micro-batch.
        var w = (logRatio * mask).sum(-1, keepdim: true) / mask.sum(-1, keepdim: true).clamp_min(one);   // (B,1)
        return w.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// ratio w (B,T) or (B,1), advantages (B,1) or (B,T) → per-token loss −min(w'·A, clamp(w, 1 − ε_low, 1 + ε_high)·A),
    /// w' = min(w, δ) when the INTELLECT-2 bound <paramref name="delta"/> is set, else w.
    /// </summary>
    public static Tensor PerTokenLoss(Tensor ratio, Tensor advantages, double epsilonLow, double epsilonHigh, double? delta = null)
    {
        using var scope = NewDisposeScope();
        // Scalars are made explicitly and disposed after use (see FixedScalars): this runs per micro-batch.
        using Scalar low = (1.0 - epsilonLow).ToScalar(), high = (1.0 + epsilonHigh).ToScalar();
        using var cap = delta is double d ? d.ToScalar() : null;
        var clipped = ratio.clamp(low, high);
        var unclipped = cap is null ? ratio : ratio.clamp_max(cap);
        var loss = -minimum(unclipped * advantages, clipped * advantages);
        return loss.MoveToOuterDisposeScope();
    }
}
