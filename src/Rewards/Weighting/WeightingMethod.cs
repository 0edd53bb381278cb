namespace RlTrainer.Rewards.Weighting;

/// <summary>How the mix's component weights evolve during training (JSON <c>"weighting"</c>).</summary>
public enum WeightingMethod
{
    /// <summary>The configured weights, unchanged (the default).</summary>
    Static,

    /// <summary>DRW hypervolume-guided: fixed weights, learning signal scaled by r_pareto (docs/algorithms.md#hypervolume-weighting).</summary>
    Hypervolume,

    /// <summary>DRW gradient-based: weights follow mirror descent on per-component gradient influence (docs/algorithms.md#gradient-weighting).</summary>
    Gradient,
}
