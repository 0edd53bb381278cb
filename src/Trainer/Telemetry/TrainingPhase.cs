namespace RlTrainer.Trainer.Telemetry;

/// <summary>What the training service is doing, as the health endpoint reports it.</summary>
public enum TrainingPhase
{
    /// <summary>Loading the model, data and checkpoint: not ready yet.</summary>
    Starting,
    /// <summary>Running steps.</summary>
    Training,
    /// <summary>Evaluating between steps (before the first, every Eval:Every steps, after the last).</summary>
    Evaluating,
    /// <summary>The loop returned (finished or stopped); the process is checkpointing or exiting.</summary>
    Stopped,
    /// <summary>The loop threw: the process exits with code 1.</summary>
    Failed,
}
