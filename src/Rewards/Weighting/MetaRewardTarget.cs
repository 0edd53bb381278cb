namespace RlTrainer.Rewards.Weighting;

/// <summary>What the hypervolume meta-reward r_pareto multiplies.</summary>
public enum MetaRewardTarget
{
    /// <summary>
    /// The advantages, after normalisation (the default). A batch-wide factor on the rewards cancels in any
    /// std-normalised advantage (docs/algorithms.md#hypervolume-weighting), so this is the form that acts.
    /// </summary>
    Advantages,

    /// <summary>The rewards before the advantage, as the DRW code does; a no-op under std-normalised advantages.</summary>
    Rewards,
}
