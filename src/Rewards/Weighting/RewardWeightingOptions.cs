namespace RlTrainer.Rewards.Weighting;

/// <summary>
/// The reward mix's dynamic-weighting settings (JSON keys <c>weighting</c>, <c>hypervolume</c>, <c>gradient</c>).
/// <see cref="Default"/> is static weights, i.e. the trainer's behaviour without these keys. Advantage normalisation
/// is a trainer setting (Algorithm:Advantage), not part of the mix.
/// </summary>
public sealed record RewardWeightingOptions
{
    public static RewardWeightingOptions Default { get; } = new();

    public WeightingMethod Method { get; init; } = WeightingMethod.Static;

    /// <summary>Set when <see cref="Method"/> is <see cref="WeightingMethod.Hypervolume"/>.</summary>
    public HypervolumeWeightingOptions? Hypervolume { get; init; }

    /// <summary>Set when <see cref="Method"/> is <see cref="WeightingMethod.Gradient"/>.</summary>
    public GradientWeightingOptions? Gradient { get; init; }
}
