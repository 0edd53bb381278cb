using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace RlTrainer.Trainer.Objectives;

/// <summary>
/// How rewards become advantages, shared by both objectives: group-relative A = (r − mean_group) / (std + ε) by default
/// (see <see cref="GroupAdvantage"/>), TMN-Reweight or RLOO. Here, not in the reward mix file, as TRL's scale_rewards and
/// verl's algorithm.adv_estimator are trainer settings. The group size G is the rollout's samples-per-prompt.
/// </summary>
public sealed class GroupAdvantageOptions
{
    public const string Section = "Advantage";

    /// <summary>Group (TRL/verl GRPO), Tmn (TMN-Reweight: centre per prompt, scale per task = data source) or Rloo
    /// (verl adv_estimator rloo: leave-one-out baseline, unscaled). Default <see cref="AdvantageNormalization.Group"/>.</summary>
    [EnumDataType(typeof(AdvantageNormalization))]
    public AdvantageNormalization Normalization { get; set; } = AdvantageNormalization.Group;

    /// <summary>TMN settings, read when <see cref="Normalization"/> is <see cref="AdvantageNormalization.Tmn"/>.</summary>
    [ValidateObjectMembers]
    public TmnOptions Tmn { get; set; } = new();

    /// <summary>Group normalisation: which std divides the centred rewards (TRL <c>scale_rewards</c>). Default <see cref="ScaleRewards.Group"/>.</summary>
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
