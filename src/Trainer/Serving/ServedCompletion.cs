using RlTrainer.Rollout.Sampling;

namespace RlTrainer.Trainer.Serving;

/// <summary>One generated row and the label of the weights that produced it.</summary>
public sealed record ServedCompletion(GenerationResult Result, string WeightVersion);
