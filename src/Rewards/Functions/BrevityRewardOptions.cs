using System.ComponentModel.DataAnnotations;

namespace RlTrainer.Rewards.Functions;

/// <summary>Options of the <c>brevity</c> reward. JSON key: <c>max_completion_tokens</c>.</summary>
public sealed class BrevityRewardOptions
{
    /// <summary>L: the length that scores 0; when null (default) the trainer's generation limit is used.</summary>
    [Range(1, int.MaxValue)]
    public int? MaxCompletionTokens { get; init; }
}
