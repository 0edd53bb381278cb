namespace RlTrainer.Rewards.Functions;

/// <summary>
/// <c>overlong_penalty</c> (DAPO, docs/algorithms.md#overlong-penalty): with threshold L_max − L_buf,
/// R_len(y) = 0 for |y| ≤ L_max − L_buf, and −c · min((|y| − (L_max − L_buf)) / L_buf, 1) above it, so a
/// completion at (or, if the trainer allows it, beyond) L_max gets −c, FeynRL's explicit floor. Null when the
/// token count or L_max is unknown. Add it to the accuracy reward with weight 1 to get DAPO's R + R_len.
/// </summary>
public sealed class OverlongPenaltyReward : IRewardFunction
{
    public const string TypeName = "overlong_penalty";

    private readonly OverlongPenaltyOptions _options;

    public OverlongPenaltyReward(OverlongPenaltyOptions options) => _options = options;

    public string Type => TypeName;

    public double? Score(RewardInput input)
    {
        var maxTokens = _options.MaxCompletionTokens ?? input.MaxCompletionTokens;
        if (input.CompletionTokens is not { } length || maxTokens is not { } lMax || lMax <= 0) return null;
        var buffer = Math.Min(_options.BufferTokens, lMax);
        var threshold = lMax - buffer;
        if (length <= threshold) return 0.0;
        var exceed = (double)(length - threshold) / buffer;
        return -_options.PenaltyFactor * Math.Min(exceed, 1.0);
    }
}
