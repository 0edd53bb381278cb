using System.ComponentModel.DataAnnotations;

namespace RlTrainer.Rewards.Functions;

/// <summary>
/// Options of the <c>overlong_penalty</c> reward (DAPO overlong reward shaping, docs/algorithms.md#overlong-penalty). JSON keys:
/// <c>buffer_tokens</c>, <c>penalty_factor</c>, <c>max_completion_tokens</c>.
/// </summary>
public sealed class OverlongPenaltyOptions
{
    /// <summary>L_buf: the penalty ramps over the last this-many tokens before L_max. Required; the DAPO paper uses L_max/5 (4096 of 20480).</summary>
    [Range(1, int.MaxValue)]
    public required int BufferTokens { get; init; }

    /// <summary>c: the penalty at and beyond L_max is −c. Default 1 (DAPO).</summary>
    [Range(0.0, double.MaxValue)]
    public double PenaltyFactor { get; init; } = 1.0;

    /// <summary>L_max; when null (default) the trainer's generation limit from <see cref="RewardInput.MaxCompletionTokens"/> is used.</summary>
    [Range(1, int.MaxValue)]
    public int? MaxCompletionTokens { get; init; }
}
