using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;

namespace RlTrainer.Rewards.Weighting;

/// <summary>
/// Options of <c>"weighting": "hypervolume"</c>, JSON object <c>"hypervolume"</c>. Defaults: docs/algorithms.md#hypervolume-weighting.
/// </summary>
public sealed record HypervolumeWeightingOptions
{
    /// <summary>The hypervolume's coordinates (JSON <c>"tracked"</c>): component names with a direction each. Required.</summary>
    /// <remarks>Named so that the JSON key is "tracked" and no other spelling (such as "tracked_components") binds.</remarks>
    [JsonPropertyName("tracked")]
    public IReadOnlyList<TrackedComponent> TrackedComponents { get; init; } = Array.Empty<TrackedComponent>();

    /// <summary>a in r_pareto = a + b·tanh(ΔHV). Default 0.5 (DRW code).</summary>
    [Range(0.0, 1e6)] public double Offset { get; init; } = 0.5;

    /// <summary>b in r_pareto = a + b·tanh(ΔHV). Default 1.5 (DRW code).</summary>
    [Range(0.0, 1e6)] public double Scale { get; init; } = 1.5;

    /// <summary>Held-out problems scored greedily for each validation point. Default 100 (DRW: 20% of MATH500).</summary>
    [Range(1, 1_000_000)] public int ValidationProblems { get; init; } = 100;

    /// <summary>Validate every this many steps; r_pareto is kept in between. Default 1 (DRW validates every step).</summary>
    [Range(1, 1_000_000)] public int Every { get; init; } = 1;

    /// <summary>What r_pareto multiplies. Default <see cref="MetaRewardTarget.Advantages"/>.</summary>
    public MetaRewardTarget ApplyTo { get; init; } = MetaRewardTarget.Advantages;
}
