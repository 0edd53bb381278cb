namespace RlTrainer.Trainer.Objectives;

/// <summary>
/// TRL <c>loss_type</c> values of the clipped-surrogate family. They share the per-token loss and differ only in
/// aggregation (<see cref="GrpoOptions.Aggregation"/> maps them).
/// </summary>
public enum GrpoLossType
{
    /// <summary>Per-sequence token mean, then mean over sequences (original GRPO).</summary>
    Grpo,

    /// <summary>Token mean over the local micro-batch.</summary>
    Bnpo,

    /// <summary>Sum over tokens / (B · max_completion_length) (Dr. GRPO).</summary>
    DrGrpo,

    /// <summary>Token mean over the whole optimizer step (DAPO; TRL's default since 2025-08).</summary>
    Dapo,
}
