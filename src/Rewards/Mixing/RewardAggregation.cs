namespace RlTrainer.Rewards.Mixing;

/// <summary>How a mix combines its components (TRL's <c>multi_objective_aggregation</c>).</summary>
public enum RewardAggregation
{
    /// <summary>
    /// Total = Σ_k w_k · r_k over the components that are not null (TRL: weighted <c>nansum</c>). The trainer then
    /// normalizes the totals within each group into advantages.
    /// </summary>
    SumThenNormalize,

    /// <summary>
    /// Each component is first normalized within its group, (r_k − mean_k) / (std_k + ε) with the unbiased std over
    /// the group's non-null values, then Total = Σ_k w_k · r̂_k over the non-null ones (GDPO; TRL's
    /// <c>normalize_then_sum</c>). A component with fewer than two values in a group drops out of that group, as
    /// TRL's NaN std does. TRL then standardizes these totals over the whole batch.
    /// </summary>
    NormalizeThenSum,
}
