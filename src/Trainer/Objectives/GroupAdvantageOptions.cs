using System.ComponentModel.DataAnnotations;

namespace RlTrainer.Trainer.Objectives;

/// <summary>
/// Group-relative advantages A = (r − mean_group) / (std + ε), shared by both objectives (see <see cref="GroupAdvantage"/>).
/// The group size G is the rollout's samples-per-prompt and is passed in by the caller.
/// </summary>
public sealed class GroupAdvantageOptions
{
    public const string Section = "Advantage";

    /// <summary>Which std divides the centred rewards (TRL <c>scale_rewards</c>). Default <see cref="ScaleRewards.Group"/>.</summary>
    [EnumDataType(typeof(ScaleRewards))]
    public ScaleRewards ScaleRewards { get; set; } = ScaleRewards.Group;

    /// <summary>
    /// ε added to the std, a pure number. Default 1e-4 (TRL grpo_trainer.py); verl uses 1e-6, FeynRL (the P3O paper's
    /// code) 1e-8.
    /// </summary>
    [Range(0.0, 1.0)]
    public double Epsilon { get; set; } = RlTrainer.Rewards.Mixing.GroupMoments.DefaultEpsilon;

    /// <summary>
    /// Bessel-corrected std (divide by n − 1), as TRL, verl and FeynRL all do. False gives the population std, which
    /// none of them uses. Default true.
    /// </summary>
    public bool UnbiasedStd { get; set; } = true;
}
