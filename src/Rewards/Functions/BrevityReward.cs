namespace RlTrainer.Rewards.Functions;

/// <summary>
/// <c>brevity</c>: 1 − min(|y|, L) / L, so an empty completion scores 1 and one at the generation limit L scores 0.
/// The "completion tokens" component of a multi-objective (DRW) run, in [0, 1] like accuracy, so that hypervolume gains of
/// the two are comparable (hypervolume gains depend on the tracked components' units, docs/algorithms.md#hypervolume-weighting). Null when the token
/// count or L is unknown.
/// </summary>
public sealed class BrevityReward(BrevityRewardOptions options) : IRewardFunction
{
    public const string TypeName = "brevity";

    public string Type => TypeName;

    public double? Score(RewardInput input)
    {
        var limit = options.MaxCompletionTokens ?? input.MaxCompletionTokens;
        if (input.CompletionTokens is not { } length || limit is not { } l || l <= 0) return null;
        return 1.0 - (double)Math.Min(length, l) / l;
    }
}
