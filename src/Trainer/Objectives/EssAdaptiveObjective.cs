using RlTrainer.Rollout.Model;
using TorchSharp;
using static TorchSharp.torch;

namespace RlTrainer.Trainer.Objectives;

/// <summary>
/// P3O, the objective of "Trust the Batch, On- or Off-Policy" (FeynRL algs/P3O/p3o.py), the trainer's default.
/// With e the micro-batch ESS of the ratios r_t = exp(ℓ_t − ℓ^b_t) and D the valid-token count of the step:
/// <code>
/// Loss = [ −Σ sg(min(r_t, e))·A_t·ℓ_t + (1 − e)·Σ k3(ℓ_t, ℓ^b_t) − β_ent·Σ H_t + β_kl·Σ k3(ℓ_t, ℓ^ref_t) ] / D
/// ∂Loss/∂ℓ_t = [ −min(r_t, e)·A_t + (1 − e)·(1 − exp(ℓ^b_t − ℓ_t)) + β_kl·(1 − exp(ℓ^ref_t − ℓ_t)) ] / D
/// </code>
/// k3 uses FeynRL's ±10 exponent clamp (where it bites, that exponential's gradient is 0). Tokens whose
/// log-probs are not finite are dropped from the mask and from D, as FeynRL's sanitize_logprobs does.
/// </summary>
public sealed class EssAdaptiveObjective : IPolicyObjective
{
    /// <summary>The micro-batch ESS e, the cap on every token weight.</summary>
    public const string EssMetric = "ess";
    /// <summary>Σ k3(ℓ, ℓ^b) / valid tokens, before the (1 − e) weight.</summary>
    public const string KlBehavioralMetric = "kl_behavioral";
    /// <summary>Monitor-only fraction of valid tokens with r outside [1 − clip_low, 1 + clip_high].</summary>
    public const string ClipFracMetric = "clipfrac";
    /// <summary>Mean unclamped k3 between current and behaviour policy.</summary>
    public const string ApproxKlMetric = "approx_kl";
    /// <summary>The policy-gradient sum over valid tokens, per token.</summary>
    public const string PiLossMetric = "pi_loss";
    /// <summary>The whole loss sum per valid token of this micro-batch.</summary>
    public const string LossTotalMetric = "loss_total";
    /// <summary>−mean ℓ: a sampled-token entropy proxy.</summary>
    public const string EntropyMcMetric = "ent_mc";
    /// <summary>Mean k3 to the reference; only when β_kl &gt; 0.</summary>
    public const string KlRefMetric = "kl_ref";
    /// <summary>Mean full entropy; only when β_ent &gt; 0.</summary>
    public const string EntropyMetric = "entropy";
    /// <summary>Valid tokens in this micro-batch (after dropping non-finite ones).</summary>
    public const string TokensMetric = "tokens";
    /// <summary>Mask-on tokens dropped because a log-prob was NaN or ±inf.</summary>
    public const string NonFiniteTokensMetric = "nonfinite_tokens";

    private readonly EssOptions _options;

    public EssAdaptiveObjective(EssOptions options)
    {
        OptionsValidation.ThrowIfInvalid(options, ObjectiveOptions.Section + ":" + EssOptions.Section);
        _options = options;
    }

    public ObjectiveKind Kind => ObjectiveKind.Ess;
    public bool NeedsReferenceLogProbs => _options.KlCoefficient > 0;
    public bool NeedsEntropies => _options.EntropyCoefficient > 0;

    /// The ESS weights measure how far the batch is from the policy that sampled it: always the behaviour log-probs.
    public bool OldLogProbsAreBehaviour(int passes, bool offPolicy) => true;

    public ObjectiveResult Compute(PolicyMicroBatch batch, LossNormalizer normalizer)
    {
        batch.ThrowIfInconsistent();
        normalizer.ThrowIfInvalid();
        if (NeedsReferenceLogProbs && batch.RefLogProbs is null)
            throw new ArgumentException($"{EssOptions.Section}:KlCoefficient = {_options.KlCoefficient} needs reference log-probs in the micro-batch.", nameof(batch));
        if (NeedsEntropies && batch.Entropies is null)
            throw new ArgumentException($"{EssOptions.Section}:EntropyCoefficient = {_options.EntropyCoefficient} needs entropies in the micro-batch.", nameof(batch));
        using var scope = NewDisposeScope();
        var o = _options;
        var dtype = batch.LogProbs.dtype;
        // Scalars are made explicitly and disposed after use (see FixedScalars): this runs per micro-batch.
        using var half = 0.5.ToScalar();
        var requested = batch.CompletionMask.to_type(dtype).gt(half);                // (B,T)
        var valid = ValidTokens(batch, requested);                                   // (B,T), finite inputs only
        var m = valid.to_type(dtype);
        var zero = zeros_like(batch.LogProbs);
        var lp = where(valid, batch.LogProbs, zero);                                 // (B,T), grad
        var lb = where(valid, batch.OldLogProbs.detach().to_type(dtype), zero);
        var adv = batch.Advantages.detach().to_type(dtype);
        if (adv.dim() == 1) adv = adv.unsqueeze(1);                                  // (B,1)

        var logRatio = (lp - lb).detach();                                           // 0 off the mask
        double e = EffectiveSampleSize.Compute(logRatio, valid);
        using Scalar zeroBound = 0.0.ToScalar(), ess = e.ToScalar(), klWeight = (1.0 - e).ToScalar();
        var rho = logRatio.exp().clamp(zeroBound, ess);                              // sg(min(r, e)); inf → e
        var piSum = -(rho * adv * lp * m).sum();
        var klB = (KlEstimator.K3(lp, lb, K3Clamp.FeynRl) * m).sum();
        var total = piSum.add(klB.mul(klWeight), FixedScalars.One);
        Tensor? entSum = null, klRef = null;
        if (o.EntropyCoefficient > 0)
        {
            entSum = (where(valid, batch.Entropies!, zero) * m).sum();
            using var entropyWeight = o.EntropyCoefficient.ToScalar();
            total = total - entSum.mul(entropyWeight);
        }
        if (o.KlCoefficient > 0)
        {
            var refLp = where(valid, batch.RefLogProbs!.detach().to_type(dtype), zero);
            klRef = (KlEstimator.K3(lp, refLp, K3Clamp.FeynRl) * m).sum();
            using var klRefWeight = o.KlCoefficient.ToScalar();
            total = total.add(klRef.mul(klRefWeight), FixedScalars.One);
        }
        long removed = CountTrue(requested) - CountTrue(valid);
        double denom = Math.Max(normalizer.TrainedTokens - removed, 1L);           // FeynRL ga_denom_adj
        using var denominator = denom.ToScalar();
        var loss = total.div(denominator);

        var metrics = Metrics(e, logRatio, lp, m, piSum, klB, total, entSum, klRef, removed);
        return new ObjectiveResult(loss.MoveToOuterDisposeScope(), metrics);
    }

    private Tensor ValidTokens(PolicyMicroBatch batch, Tensor requested)
    {
        var valid = requested.logical_and(batch.LogProbs.detach().isfinite()).logical_and(batch.OldLogProbs.isfinite());
        if (NeedsReferenceLogProbs) valid = valid.logical_and(batch.RefLogProbs!.isfinite());
        if (NeedsEntropies) valid = valid.logical_and(batch.Entropies!.detach().isfinite());
        return valid;
    }

    private Dictionary<string, double> Metrics(double e, Tensor logRatio, Tensor lp, Tensor m, Tensor piSum, Tensor klB,
        Tensor total, Tensor? entSum, Tensor? klRef, long removed)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var md = m.to_type(ScalarType.Float64);
        var n = md.sum().item<double>();
        double local = Math.Max(n, 1.0);
        var d = logRatio.to_type(ScalarType.Float64);
        var r = d.exp();
        using Scalar high = (1.0 + _options.ClipHigh).ToScalar(), low = (1.0 - _options.ClipLow).ToScalar(),
            one = 1.0.ToScalar();
        var outside = r.gt(high).logical_or(r.lt(low));
        double PerToken(Tensor sum) => sum.detach().to_type(ScalarType.Float64).item<double>() / local;
        var metrics = new Dictionary<string, double>
        {
            [EssMetric] = e,
            [KlBehavioralMetric] = PerToken(klB),
            [ClipFracMetric] = (outside.to_type(ScalarType.Float64) * md).sum().item<double>() / local,
            [ApproxKlMetric] = (d.add((-d).exp(), FixedScalars.One).sub(one) * md).sum().item<double>() / local,
            [PiLossMetric] = PerToken(piSum),
            [LossTotalMetric] = PerToken(total),
            [EntropyMcMetric] = -(lp.detach().to_type(ScalarType.Float64) * md).sum().item<double>() / local,
            [TokensMetric] = n,
            [NonFiniteTokensMetric] = removed,
        };
        if (klRef is not null) metrics[KlRefMetric] = PerToken(klRef);
        if (entSum is not null) metrics[EntropyMetric] = PerToken(entSum);
        return metrics;
    }

    private static long CountTrue(Tensor mask)
    {
        using var s = mask.sum();
        return s.item<long>();
    }
}
