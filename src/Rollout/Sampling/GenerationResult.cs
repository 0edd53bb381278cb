namespace RlTrainer.Rollout.Sampling;

/// <summary>
/// One completed row: the sampled ids (eos included when produced), the log-prob of each under
/// log_softmax(logits / temperature) of the unfiltered distribution, and why it stopped.
/// </summary>
public sealed record GenerationResult(IReadOnlyList<int> TokenIds, IReadOnlyList<float> LogProbs, FinishReason FinishReason)
{
    /// <summary>Why the row ended, pruning decisions included. Defaults from <see cref="FinishReason"/>.</summary>
    public StopReason StopReason { get; init; } = FinishReason == FinishReason.Stop ? StopReason.Eos : StopReason.MaxLength;

    /// <summary>
    /// Per token: true when sampled from the policy, false when injected by a decode hook (loss mask 0,
    /// docs/algorithms.md#pruning-loss-mask). Null when every token was sampled.
    /// </summary>
    public IReadOnlyList<bool>? Sampled { get; init; }

    /// <summary>Tokens injected by a decode hook.</summary>
    public int InjectedTokens => Sampled?.Count(s => !s) ?? 0;
}
