using RlTrainer.Rollout.Sampling;

namespace RlTrainer.Trainer.Engines;

/// <summary>One parsed completion of an engine response; <paramref name="WeightVersion"/> when the engine reports it.</summary>
public sealed record EngineReply(GenerationResult Result, int? WeightVersion);
