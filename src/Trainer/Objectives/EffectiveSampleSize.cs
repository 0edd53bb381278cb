using RlTrainer.Rollout.Model;
using TorchSharp;
using static TorchSharp.torch;

namespace RlTrainer.Trainer.Objectives;

/// <summary>
/// Normalised effective sample size of importance weights w_t = exp(δ_t) over the valid tokens of a micro-batch:
/// ESS = (Σw)² / (N·Σw²) ∈ [1/N, 1] (FeynRL P3O calculate_ess). ESS is scale-invariant, so it is computed from
/// u_t = exp(δ_t − max δ) ∈ (0, 1] in float64: one huge log-ratio no longer overflows Σw to inf, which in the
/// reference code falls back to ESS = 1 (no cap, no KL) exactly when the data are most off-policy. The reference's
/// +1e-8 on Σw² is dropped: Σu² ≥ 1 here, so it could only move the value by ≤ 1e-8.
/// </summary>
public static class EffectiveSampleSize
{
    /// <summary>
    /// logRatio δ = ℓ − ℓ^b (B,T) and valid (B,T) bool → ESS, a plain number (it carries no gradient). Returns 1 when
    /// no token is valid, or when a valid δ is not finite (callers remove such tokens first).
    /// </summary>
    public static double Compute(Tensor logRatio, Tensor valid)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var n = valid.sum().to_type(ScalarType.Float64).item<double>();
        if (n < 0.5) return 1.0;
        var d = logRatio.detach().to_type(ScalarType.Float64);
        using var minusInfinity = double.NegativeInfinity.ToScalar();                // explicit: see FixedScalars
        var shift = where(valid, d, full_like(d, minusInfinity)).max();               // max over valid tokens
        var u = where(valid, (d - shift).exp(), zeros_like(d));                       // (B,T), in (0, 1]
        var s1 = u.sum().item<double>();
        var s2 = u.pow(FixedScalars.Two).sum().item<double>();                       // square() = pow(2), made implicitly
        var ess = s1 * s1 / (n * s2);
        return double.IsFinite(ess) ? ess : 1.0;
    }
}
