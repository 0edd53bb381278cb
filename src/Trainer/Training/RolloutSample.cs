namespace RlTrainer.Trainer.Training;

/// <summary>One scored completion of one prompt.</summary>
/// <param name="Group">Index of its prompt within the step (completions of a prompt are contiguous).</param>
/// <param name="BehaviourLogProbs">Sampler log-probs of the completion tokens (log_softmax(logits / T)).</param>
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
    string DataSource);
