using RlTrainer.Rollout.Model;
using TorchSharp;
using static TorchSharp.torch;

namespace RlTrainer.Trainer.Objectives;

/// <summary>
/// TRL's GRPO loss family (grpo, bnpo, dr_grpo, dapo; token or GSPO sequence ratios; clip-higher; k3 KL to a frozen
/// reference). Per token: l = −min(w·A, clamp(w, 1 − ε_low, 1 + ε_high)·A) + β·k3(ℓ, ℓ^ref), aggregated by the
/// loss type. Positions outside the mask are zeroed before any exp, which changes nothing on valid tokens but keeps
/// padding garbage (±inf, NaN) out of the loss and its gradient. Truncated completions must already be masked by
/// the caller (<see cref="TruncatedCompletions"/>) so the step's token count sees the same mask.
/// </summary>
public sealed class ClippedSurrogateObjective : IPolicyObjective
{
    /// <summary>Masked fraction with w &lt; 1 − ε_low and A &lt; 0 (TRL's name).</summary>
    public const string ClipLowMetric = "clip_ratio/low_mean";
    /// <summary>Masked fraction with w &gt; 1 + ε_high and A &gt; 0.</summary>
    public const string ClipHighMetric = "clip_ratio/high_mean";
    /// <summary>Union of the two above: the tokens whose gradient the clip removed.</summary>
    public const string ClipRegionMetric = "clip_ratio/region_mean";
    /// <summary>Masked mean of the importance ratio w.</summary>
    public const string RatioMeanMetric = "ratio_mean";
    /// <summary>Masked mean of k3(ℓ, ℓ^ref); only when β &gt; 0.</summary>
    public const string KlMetric = "kl";
    /// <summary>Valid tokens in this micro-batch.</summary>
    public const string TokensMetric = "tokens";

    private readonly GrpoOptions _options;

    public ClippedSurrogateObjective(GrpoOptions options)
    {
        OptionsValidation.ThrowIfInvalid(options, ObjectiveOptions.Section + ":" + GrpoOptions.Section);
        _options = options;
    }

    public ObjectiveKind Kind => ObjectiveKind.Grpo;
    public bool NeedsReferenceLogProbs => _options.Beta > 0;
    public bool NeedsEntropies => false;

    /// With one on-policy pass the ratio is 1 at the current policy (TRL's detached old log-probs); with μ &gt; 1, or
    /// batches sampled by an older policy, the ratio and its clip are against the policy that sampled the batch (TRL's
    /// AsyncGRPO), so staleness is clipped the way a later pass's drift is.
    public bool OldLogProbsAreBehaviour(int passes, bool offPolicy) => passes > 1 || offPolicy;

    public ObjectiveResult Compute(PolicyMicroBatch batch, LossNormalizer normalizer)
    {
        batch.ThrowIfInconsistent();
        normalizer.ThrowIfInvalid();
        if (NeedsReferenceLogProbs && batch.RefLogProbs is null)
            throw new ArgumentException($"{GrpoOptions.Section}:Beta = {_options.Beta} needs reference log-probs in the micro-batch.", nameof(batch));
        using var scope = NewDisposeScope();
        var o = _options;
        var dtype = batch.LogProbs.dtype;
        // Scalars are made explicitly and disposed after use (see FixedScalars): this runs per micro-batch.
        using var half = 0.5.ToScalar();
        var valid = batch.CompletionMask.to_type(dtype).gt(half);                      // (B,T) bool
        var m = valid.to_type(dtype);                                                  // (B,T) 0/1
        var lp = where(valid, batch.LogProbs, zeros_like(batch.LogProbs));             // (B,T), grad
        var old = where(valid, batch.OldLogProbs.detach().to_type(dtype), zeros_like(lp));
        var adv = batch.Advantages.detach().to_type(dtype);
        if (adv.dim() == 1) adv = adv.unsqueeze(1);                                    // (B,1)

        var w = ClippedSurrogate.LogImportanceWeights(lp - old, m, o.ImportanceSamplingLevel).exp();  // (B,T) or (B,1)
        var perToken = ClippedSurrogate.PerTokenLoss(w, adv, o.Epsilon, o.EffectiveEpsilonHigh, o.Delta);
        Tensor? kl = null;
        if (o.Beta > 0)
        {
            var refLp = where(valid, batch.RefLogProbs!.detach().to_type(dtype), zeros_like(lp));
            kl = KlEstimator.K3(lp, refLp, o.KlClamp);                                 // (B,T)
            using var beta = o.Beta.ToScalar();
            perToken = perToken.add(kl.mul(beta), FixedScalars.One);                   // after the clip, not IS-weighted (TRL)
        }
        var loss = LossAggregator.Aggregate(perToken, m, o.Aggregation, normalizer);
        var metrics = Metrics(w, adv, m, kl);
        return new ObjectiveResult(loss.MoveToOuterDisposeScope(), metrics);
    }

    private Dictionary<string, double> Metrics(Tensor w, Tensor adv, Tensor m, Tensor? kl)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var o = _options;
        using var cap = o.Delta is double d ? d.ToScalar() : null;
        using Scalar lowBound = (1.0 - o.Epsilon).ToScalar(), highBound = (1.0 + o.EffectiveEpsilonHigh).ToScalar(),
            zero = 0.0.ToScalar();
        var wc = cap is null ? w : w.clamp_max(cap);                                   // TRL logs the δ-capped ratio
        var low = wc.lt(lowBound).logical_and(adv.lt(zero));
        var high = wc.gt(highBound).logical_and(adv.gt(zero));
        var metrics = new Dictionary<string, double>
        {
            [ClipLowMetric] = MaskedMean(low, m),
            [ClipHighMetric] = MaskedMean(high, m),
            [ClipRegionMetric] = MaskedMean(low.logical_or(high), m),
            [RatioMeanMetric] = MaskedMean(w, m),
            [TokensMetric] = m.sum().to_type(ScalarType.Float64).item<double>(),
        };
        if (kl is not null) metrics[KlMetric] = MaskedMean(kl, m);
        return metrics;
    }

    // TRL's global_masked_mean on one process: a (B,1) sequence-level value counts once per sequence.
    private static double MaskedMean(Tensor x, Tensor m)
    {
        using var scope = NewDisposeScope();
        var xd = x.to_type(ScalarType.Float64);
        var md = m.to_type(ScalarType.Float64);
        using var one = 1.0.ToScalar();
        var mean = x.shape[^1] == 1 && m.shape[^1] != 1
            ? xd.mean()
            : (xd * md).sum() / md.sum().clamp_min(one);
        return mean.item<double>();
    }
}
