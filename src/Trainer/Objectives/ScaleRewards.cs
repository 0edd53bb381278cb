namespace RlTrainer.Trainer.Objectives;

/// <summary>
/// Which standard deviation divides the group-centred rewards (TRL <c>scale_rewards</c>). The mean is always the
/// group's own; only the scale changes.
/// </summary>
public enum ScaleRewards
{
    /// <summary>Divide by the group's std (TRL "group", the default; also verl and FeynRL).</summary>
    Group,

    /// <summary>Divide by the std of the whole batch (TRL "batch", Lite-PPO's local mean / global std).</summary>
    Batch,

    /// <summary>No division: A = r − mean_group (TRL "none", Dr. GRPO).</summary>
    None,
}
