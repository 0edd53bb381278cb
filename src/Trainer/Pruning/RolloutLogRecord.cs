using System.Text.Json.Serialization;

namespace RlTrainer.Trainer.Pruning;

/// <summary>
/// One line of the rollout log (<c>Pruning:LogFile</c>): a completion as the sampler produced it, with the text each
/// token completed, so that <c>prune-sim</c> can replay the pruning rules without a model or tokenizer.
/// </summary>
public sealed record RolloutLogRecord
{
    [JsonPropertyName("step")] public int Step { get; init; }
    /// <summary>Generation batch within the step (dynamic sampling draws several).</summary>
    [JsonPropertyName("draw")] public int Draw { get; init; }
    /// <summary>Group (prompt) within the draw; rows of a group are logged contiguously.</summary>
    [JsonPropertyName("group")] public int Group { get; init; }
    [JsonPropertyName("ground_truth")] public string? GroundTruth { get; init; }
    [JsonPropertyName("max_new_tokens")] public int MaxNewTokens { get; init; }
    [JsonPropertyName("completion")] public string Completion { get; init; } = "";
    [JsonPropertyName("token_ids")] public IReadOnlyList<int> TokenIds { get; init; } = [];
    /// <summary>Text each token completed (special tokens skipped); their concatenation is <see cref="Completion"/>.</summary>
    [JsonPropertyName("pieces")] public IReadOnlyList<string> Pieces { get; init; } = [];
    /// <summary>Per token: 1 sampled, 0 injected. Omitted when all were sampled.</summary>
    [JsonPropertyName("sampled")] public IReadOnlyList<int>? Sampled { get; init; }
    [JsonPropertyName("stop_reason")] public string StopReason { get; init; } = "";
    [JsonPropertyName("reward")] public double Reward { get; init; }
    [JsonPropertyName("correct")] public bool Correct { get; init; }
    [JsonPropertyName("group_aborted")] public bool GroupAborted { get; init; }
}
