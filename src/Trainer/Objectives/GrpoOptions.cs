using System.ComponentModel.DataAnnotations;

namespace RlTrainer.Trainer.Objectives;

/// <summary>
/// Settings of <see cref="ClippedSurrogateObjective"/>, named and defaulted as TRL's GRPOConfig (trl 1.10.0.dev0).
/// Advantage scaling is in <see cref="GroupAdvantageOptions"/>; TRL's num_iterations and mask_truncated_completions
/// are Training:NumIterations and Training:MaskTruncatedCompletions (they shape the loop, not the objective).
/// </summary>
public sealed class GrpoOptions
{
    public const string Section = "Grpo";

    /// <summary>TRL <c>loss_type</c>: how per-token losses are aggregated. Default <see cref="GrpoLossType.Dapo"/> (TRL's default).</summary>
    [EnumDataType(typeof(GrpoLossType))]
    public GrpoLossType LossType { get; set; } = GrpoLossType.Dapo;

    /// <summary>TRL <c>epsilon</c>: lower clip ε_low, the ratio is clamped to [1 − ε_low, 1 + ε_high]. Default 0.2.</summary>
    [Range(0.0, 1.0)]
    public double Epsilon { get; set; } = 0.2;

    /// <summary>TRL <c>epsilon_high</c>: upper clip ε_high; null means equal to <see cref="Epsilon"/>. DAPO's clip-higher uses 0.28. Default null.</summary>
    [Range(0.0, 100.0)]
    public double? EpsilonHigh { get; set; }

    /// <summary>TRL <c>delta</c> (INTELLECT-2 two-sided clip): caps the unclipped ratio at δ, should exceed 1 + ε_high. Default null (off).</summary>
    [Range(1.0, 1e6)]
    public double? Delta { get; set; }

    /// <summary>TRL <c>importance_sampling_level</c>: token ratios, or GSPO sequence ratios. Default <see cref="ImportanceSamplingLevel.Token"/>.</summary>
    [EnumDataType(typeof(ImportanceSamplingLevel))]
    public ImportanceSamplingLevel ImportanceSamplingLevel { get; set; } = ImportanceSamplingLevel.Token;

    /// <summary>
    /// TRL <c>beta</c>: weight of the k3 KL to a frozen reference model, added per token. 0 means no reference model
    /// is loaded at all. Default 0 (TRL since 2025-05; 0.04 before).
    /// </summary>
    [Range(0.0, 1000.0)]
    public double Beta { get; set; }

    /// <summary>Guard on the k3 estimate of the reference KL. Default <see cref="K3Clamp.None"/> (TRL).</summary>
    [EnumDataType(typeof(K3Clamp))]
    public K3Clamp KlClamp { get; set; } = K3Clamp.None;

    /// <summary>The ε_high actually used: <see cref="EpsilonHigh"/> or, when unset, <see cref="Epsilon"/>.</summary>
    public double EffectiveEpsilonHigh => EpsilonHigh ?? Epsilon;

    /// <summary>The aggregation of <see cref="LossType"/>; the one place a loss type string becomes a normaliser.</summary>
    public LossAggregation Aggregation => LossType switch
    {
        GrpoLossType.Grpo => LossAggregation.SeqMeanTokenMean,
        GrpoLossType.Bnpo => LossAggregation.LocalTokenMean,
        GrpoLossType.DrGrpo => LossAggregation.ConstantNorm,
        GrpoLossType.Dapo => LossAggregation.GlobalTokenMean,
        _ => throw new ArgumentOutOfRangeException(nameof(LossType), LossType, "unknown GRPO loss type."),
    };
}
