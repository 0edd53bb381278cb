namespace RlTrainer.Trainer.Engines;

/// <summary>
/// Which log-probs of engine rollouts the objective takes as the behaviour log-probs (the denominator of its ratio):
/// docs/algorithms.md#remote-importance-sampling.
/// </summary>
public enum BehaviourLogProbSource
{
    /// <summary>The trainer recomputes them with its own forward at the version that sampled the batch, and the
    /// train/inference mismatch is corrected by <see cref="RolloutEngineOptions.Correction"/> (TRL, verl's default).</summary>
    Trainer,
    /// <summary>The engine's log-probs are the behaviour log-probs, with no recompute and no importance weights (verl's
    /// rollout-correction "bypass mode"): the ratio π_θ / π_engine then carries both the staleness and the kernel
    /// mismatch, which the objective's own clip or ESS weighting absorbs. Saves one forward pass over every batch.</summary>
    Engine,
}
