using RlTrainer.Rollout.Sampling;

namespace RlTrainer.Trainer.Engines;

/// <summary>One completion with where it came from: the policy version it was sampled from and the engine.</summary>
/// <param name="WeightVersion">Training steps completed by the weights that sampled it (0 = the starting model).</param>
/// <param name="Engine">"local" or the engine's base URL.</param>
public sealed record EngineCompletion(GenerationResult Result, int WeightVersion, string Engine);
