namespace RlTrainer.Rewards.Weighting;

/// <summary>
/// The reward mix's dynamic-weighting and advantage-normalisation settings (JSON keys <c>weighting</c>,
/// <c>hypervolume</c>, <c>gradient</c>, <c>normalization</c>, <c>tmn</c>). <see cref="Default"/> is static weights
/// with group normalisation, i.e. the trainer's behaviour without these keys.
/// </summary>
public sealed record RewardWeightingOptions
{
    public static RewardWeightingOptions Default { get; } = new();

    public WeightingMethod Method { get; init; } = WeightingMethod.Static;

    /// <summary>Set when <see cref="Method"/> is <see cref="WeightingMethod.Hypervolume"/>.</summary>
    public HypervolumeWeightingOptions? Hypervolume { get; init; }

    /// <summary>Set when <see cref="Method"/> is <see cref="WeightingMethod.Gradient"/>.</summary>
    public GradientWeightingOptions? Gradient { get; init; }

    public AdvantageNormalization Normalization { get; init; } = AdvantageNormalization.Group;

    /// <summary>Set when <see cref="Normalization"/> is <see cref="AdvantageNormalization.Tmn"/>.</summary>
    public TmnOptions? Tmn { get; init; }
}
