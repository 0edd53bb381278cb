using RlTrainer.Rewards.Functions;
using RlTrainer.Rollout.Sampling;

namespace RlTrainer.Trainer.Contracts;

/// <summary>
/// One scored completion of one prompt: what the rollout phase hands the rest of the step. Built by name
/// (<c>new RolloutSample { Group = 0, PromptIds = …, … }</c>); features that add per-sample data add an init property
/// here with a default that means "not used", so that code which does not know the feature is unaffected.
/// </summary>
public sealed record RolloutSample
{
    /// <summary>Index of its prompt within the step (completions of a prompt are contiguous).</summary>
    public required int Group { get; init; }

    public required IReadOnlyList<int> PromptIds { get; init; }

    public required IReadOnlyList<int> CompletionIds { get; init; }

    /// <summary>Sampler log-probs of the completion tokens (log_softmax(logits / T)); for remote engines, the
    /// trainer's recomputation of them, or the engine's own with RolloutEngine:BehaviourLogProbs = Engine.</summary>
    public required IReadOnlyList<float> BehaviourLogProbs { get; init; }

    /// <summary>The reward mix's total (NaN when no component applied).</summary>
    public required double Reward { get; init; }

    /// <summary>Generation stopped at the token limit.</summary>
    public bool Truncated { get; init; }

    /// <summary>Per reward component value (null = not applicable), in the mix's component order.</summary>
    public double?[] Components { get; init; } = [];

    /// <summary>The math verifier judged the final answer right (the accuracy metric; not the reward).</summary>
    public bool Correct { get; init; }

    /// <summary>The example's data_source (the task it belongs to).</summary>
    public string DataSource { get; init; } = "";

    /// <summary>Training steps completed by the weights that sampled it.</summary>
    public int WeightVersion { get; init; }

    /// <summary>The remote engine's own log-probs of the completion tokens when the trainer recomputed the behaviour
    /// log-probs (null for local rollouts and with BehaviourLogProbs = Engine).</summary>
    public IReadOnlyList<float>? EngineLogProbs { get; init; }

    /// <summary>Train/inference importance weights per completion token (docs/algorithms.md#remote-importance-sampling); null = all 1.</summary>
    public IReadOnlyList<float>? IsWeights { get; init; }

    /// <summary>Per completion token: true = trained, false = injected by a pruning hook (loss mask 0, docs/algorithms.md#pruning-loss-mask)
    /// or in an aborted group. Null: every token is trained.</summary>
    public IReadOnlyList<bool>? LossMask { get; init; }

    private readonly StopReason? _stopReason;

    /// <summary>Why generation of this completion ended (natural end or a pruning decision); unless set, the length
    /// limit when <see cref="Truncated"/>, else end of sequence.</summary>
    public StopReason StopReason
    {
        get => _stopReason ?? (Truncated ? StopReason.MaxLength : StopReason.Eos);
        init => _stopReason = value;
    }

    /// <summary>The tool calls made while it was sampled (docs/algorithms.md#tool-calls): empty when tools were on and it
    /// made none, null when tools were off. Their answers are among <see cref="CompletionIds"/>, with loss mask 0.</summary>
    public IReadOnlyList<ToolCallRecord>? ToolCalls { get; init; }

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
