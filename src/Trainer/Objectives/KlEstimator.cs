using RlTrainer.Rollout.Model;
using TorchSharp;
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
        // Scalars are made explicitly (FixedScalars, Bounds): this runs per micro-batch.
        var k3 = clamp switch
        {
            K3Clamp.None => (d.exp() - d).sub(FixedScalars.One),
            K3Clamp.Verl => VerlK3(d),
            K3Clamp.FeynRl => (d.clamp(Bounds.MinusTen, Bounds.Ten).exp() - d).sub(FixedScalars.One), // a clamped exponent stops its gradient, the linear part keeps it
            _ => throw new ArgumentOutOfRangeException(nameof(clamp), clamp, "unknown k3 clamp."),
        };
        return k3.MoveToOuterDisposeScope();
    }

    private static Tensor VerlK3(Tensor d)
    {
        var c = d.clamp(Bounds.MinusTwenty, Bounds.Twenty);
        return (c.exp() - c).sub(FixedScalars.One).clamp(Bounds.MinusTen, Bounds.Ten);
    }

    // The clamp bounds, made once for the process and only read.
    private static class Bounds
    {
        public static readonly Scalar Ten = 10.0.ToScalar(), MinusTen = (-10.0).ToScalar();
        public static readonly Scalar Twenty = 20.0.ToScalar(), MinusTwenty = (-20.0).ToScalar();
    }
}
