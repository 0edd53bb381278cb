namespace RlTrainer.Trainer.Training;

/// <summary>Which reward mix scores completions.</summary>
public sealed class RewardsOptions
{
    public const string Section = "Rewards";

    /// <summary>Reward-mix JSON file (see configs/rewards.example.jsonc), relative to the working folder. Default: none,
    /// which means math_accuracy with weight 1.</summary>
    public string? File { get; set; }
}
