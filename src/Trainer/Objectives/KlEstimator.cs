using static TorchSharp.torch;

namespace RlTrainer.Trainer.Objectives;

/// <summary>
/// Schulman's k3 estimate of KL(π || q) from the sampled token: k3 = exp(ℓ_q − ℓ) − (ℓ_q − ℓ) − 1 ≥ 0, zero iff
/// ℓ = ℓ_q; ∂k3/∂ℓ = 1 − exp(ℓ_q − ℓ). Only ℓ carries gradient; ℓ_q is a frozen policy.
/// </summary>
public static class KlEstimator
{
    /// <summary>logProbs ℓ (B,T) and otherLogProbs ℓ_q (B,T) → per-token k3 (B,T), with the guard of <paramref name="clamp"/>.</summary>
    public static Tensor K3(Tensor logProbs, Tensor otherLogProbs, K3Clamp clamp = K3Clamp.None)
    {
        using var scope = NewDisposeScope();
        var d = otherLogProbs - logProbs;                                        // ℓ_q − ℓ
        var k3 = clamp switch
        {
            K3Clamp.None => d.exp() - d - 1,
            K3Clamp.Verl => VerlK3(d),
            K3Clamp.FeynRl => d.clamp(-10.0, 10.0).exp() - d - 1,                // a clamped exponent stops its gradient, the linear part keeps it
            _ => throw new ArgumentOutOfRangeException(nameof(clamp), clamp, "unknown k3 clamp."),
        };
        return k3.MoveToOuterDisposeScope();
    }

    private static Tensor VerlK3(Tensor d)
    {
        var c = d.clamp(-20.0, 20.0);
        return (c.exp() - c - 1).clamp(-10.0, 10.0);
    }
}
