namespace RlTrainer.Trainer.Sft;

/// <summary>One tokenized training sequence: the prompt (context only) and the target (trained on, eos included).</summary>
public sealed record SftExample(IReadOnlyList<int> PromptIds, IReadOnlyList<int> TargetIds)
{
    public int Length => PromptIds.Count + TargetIds.Count;
}
