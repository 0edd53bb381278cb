namespace RlTrainer.Trainer.Sft;

/// <summary>
/// One tokenized training sequence: the prompt (context only) and the target (eos included), trained on except where
/// <see cref="TargetTrained"/> says otherwise (a tool response injected inside a multi-turn target).
/// </summary>
public sealed record SftExample
{
    /// <param name="promptIds">Context tokens.</param>
    /// <param name="targetIds">Target tokens.</param>
    /// <param name="targetTrained">Per target token: true when it is trained on (loss mask 1); null: all are.</param>
    public SftExample(IReadOnlyList<int> promptIds, IReadOnlyList<int> targetIds, IReadOnlyList<bool>? targetTrained = null)
    {
        if (targetTrained is not null && targetTrained.Count != targetIds.Count)
            throw new ArgumentException($"{targetTrained.Count} trained flags for {targetIds.Count} target tokens", nameof(targetTrained));
        PromptIds = promptIds;
        TargetIds = targetIds;
        TargetTrained = targetTrained;
        TrainedTokens = targetTrained?.Count(t => t) ?? targetIds.Count;
    }

    public IReadOnlyList<int> PromptIds { get; }

    public IReadOnlyList<int> TargetIds { get; }

    /// <summary>Per target token, whether it is trained on; null when every target token is.</summary>
    public IReadOnlyList<bool>? TargetTrained { get; }

    /// <summary>Target tokens with loss mask 1.</summary>
    public int TrainedTokens { get; }

    public int Length => PromptIds.Count + TargetIds.Count;

    /// <summary>Whether target token <paramref name="j"/> is trained on.</summary>
    public bool IsTrained(int j) => TargetTrained?[j] ?? true;
}
