namespace RlTrainer.Rollout.Sampling;

/// <summary>One prompt to complete. The same seed with the same prompt and options gives the same tokens.</summary>
public sealed record GenerationRequest(IReadOnlyList<int> PromptIds, int Seed);
