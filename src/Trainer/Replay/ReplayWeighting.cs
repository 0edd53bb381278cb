namespace RlTrainer.Trainer.Replay;

/// <summary>How the tasks of a step (the main task and each replay source) are weighted.</summary>
public enum ReplayWeighting
{
    /// <summary>Fixed weights from the config (Replay:MainWeight, each source's Weight): the baseline.</summary>
    Static,

    /// <summary>RECAP: weights from each task's convergence rate and instability over a sliding window.</summary>
    Recap,
}
