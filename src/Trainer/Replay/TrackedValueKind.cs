namespace RlTrainer.Trainer.Replay;

/// <summary>Which way an task's tracked scalar moves when the task improves (docs/algorithms.md#recap-weights).</summary>
public enum TrackedValueKind
{
    /// <summary>Higher is better (a batch-mean reward): convergence rate c = μ / μ̃.</summary>
    Reward,

    /// <summary>Lower is better (a positive loss such as the SFT NLL): convergence rate c = μ̃ / μ.</summary>
    Loss,
}
