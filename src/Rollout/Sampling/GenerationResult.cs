namespace RlTrainer.Rollout.Sampling;

/// <summary>
/// One completed row: the sampled ids (eos included when produced), the log-prob of each under
/// log_softmax(logits / temperature) of the unfiltered distribution, and why it stopped.
/// </summary>
public sealed record GenerationResult(IReadOnlyList<int> TokenIds, IReadOnlyList<float> LogProbs, FinishReason FinishReason);
