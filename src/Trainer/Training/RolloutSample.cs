namespace RlTrainer.Trainer.Training;

/// <summary>One scored completion of one prompt.</summary>
/// <param name="Group">Index of its prompt within the step (completions of a prompt are contiguous).</param>
/// <param name="BehaviourLogProbs">Sampler log-probs of the completion tokens (log_softmax(logits / T)); for remote
/// engines, the trainer's recomputation of them.</param>
/// <param name="Components">Per reward component value (null = not applicable), in the mix's component order.</param>
public sealed record RolloutSample(
    int Group,
    IReadOnlyList<int> PromptIds,
    IReadOnlyList<int> CompletionIds,
    IReadOnlyList<float> BehaviourLogProbs,
    bool Truncated,
    double Reward,
    double?[] Components,
    bool Correct,
    string DataSource)
{
    /// <summary>Training steps completed by the weights that sampled it.</summary>
    public int WeightVersion { get; init; }
    /// <summary>The remote engine's own log-probs of the completion tokens (null for local rollouts).</summary>
    public IReadOnlyList<float>? EngineLogProbs { get; init; }
    /// <summary>Train/inference importance weights per completion token (docs/algorithms.md#remote-importance-sampling); null = all 1.</summary>
    public IReadOnlyList<float>? IsWeights { get; init; }

    /// <summary>Per completion token: true = trained, false = injected by a pruning hook (loss mask 0, docs/algorithms.md#pruning-loss-mask)
    /// or in an aborted group. Null: every token is trained.</summary>
    public IReadOnlyList<bool>? LossMask { get; init; }

    /// <summary>Why generation of this completion ended (natural end or a pruning decision).</summary>
    public RlTrainer.Rollout.Sampling.StopReason StopReason { get; init; } =
        Truncated ? RlTrainer.Rollout.Sampling.StopReason.MaxLength : RlTrainer.Rollout.Sampling.StopReason.Eos;

    /// <summary>Its group was stopped early as predicted zero-variance: equal rewards, no trained tokens.</summary>
    public bool GroupAborted { get; init; }

    /// <summary>
    /// Whether completion token <paramref name="j"/> enters the loss: not injected by pruning, and the completion not
    /// dropped for hitting the length limit when <paramref name="maskTruncated"/> (TRL mask_truncated_completions: out
    /// of the loss and the token count, still in the group's reward statistics).
    /// </summary>
    public bool IsTrainedToken(int j, bool maskTruncated) => !(maskTruncated && Truncated) && (LossMask is null || LossMask[j]);

    /// <summary>Completion tokens that enter the loss (see <see cref="IsTrainedToken"/>): the one count of the loss
    /// normaliser, the metric weights and replay's token shares.</summary>
    public int TrainedTokens(bool maskTruncated) => maskTruncated && Truncated ? 0 : LossMask?.Count(m => m) ?? CompletionIds.Count;
}
