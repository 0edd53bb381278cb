namespace RlTrainer.Rewards.Functions;

/// <summary>
/// <c>tool_use</c>: r = clip(per_call · n + per_successful_call · n_ok + per_failed_call · (n − n_ok), min, max) over the
/// completion's n tool calls (docs/algorithms.md#tool-calls). Null when the rollout ran without tools (no transcript
/// to judge), so the component drops out of the mix instead of counting as 0.
/// </summary>
public sealed class ToolUseReward : IRewardFunction
{
    public const string TypeName = "tool_use";

    private readonly ToolUseRewardOptions _options;

    /// <exception cref="ArgumentException">when min is above max.</exception>
    public ToolUseReward(ToolUseRewardOptions options)
    {
        if (options.Min is { } lo && options.Max is { } hi && lo > hi)
            throw new ArgumentException($"min ({lo}) must not be above max ({hi})");
        _options = options;
    }

    public string Type => TypeName;

    public double? Score(RewardInput input)
    {
        if (input.ToolCalls is not { } calls) return null;
        int ok = calls.Count(c => c.Status == ToolCallStatus.Ok);
        double r = _options.PerCall * calls.Count + _options.PerSuccessfulCall * ok + _options.PerFailedCall * (calls.Count - ok);
        if (_options.Min is { } lo) r = Math.Max(lo, r);
        if (_options.Max is { } hi) r = Math.Min(hi, r);
        return r;
    }
}
