using RlTrainer.Rewards.Functions;

namespace RlTrainer.Trainer.Pruning;

/// <summary>
/// One line of the rollout log (<c>Pruning:LogFile</c>): a completion as the sampler produced it, with the text each
/// token completed, so that <c>prune-sim</c> can replay the pruning rules without a model or tokenizer. Keys are the
/// snake_case names of <see cref="OutputJson"/> (step, ground_truth, token_ids, ...).
/// </summary>
public sealed record RolloutLogRecord
{
    public int Step { get; init; }
    /// <summary>Generation batch within the step (dynamic sampling draws several).</summary>
    public int Draw { get; init; }
    /// <summary>Group (prompt) within the draw; rows of a group are logged contiguously.</summary>
    public int Group { get; init; }
    public string? GroundTruth { get; init; }
    public int MaxNewTokens { get; init; }
    public string Completion { get; init; } = "";
    public IReadOnlyList<int> TokenIds { get; init; } = [];
    /// <summary>Text each token completed (special tokens skipped); their concatenation is <see cref="Completion"/>.</summary>
    public IReadOnlyList<string> Pieces { get; init; } = [];
    /// <summary>Per token: 1 sampled, 0 injected. Omitted when all were sampled.</summary>
    public IReadOnlyList<int>? Sampled { get; init; }
    public string StopReason { get; init; } = "";
    public double Reward { get; init; }
    public bool Correct { get; init; }
    public bool GroupAborted { get; init; }
    /// <summary>Every tool call of the completion (turn, name, arguments, result, status, seconds, truncated); omitted
    /// when tools were off.</summary>
    public IReadOnlyList<ToolCallRecord>? ToolCalls { get; init; }
}
