using RlTrainer.Rewards.Functions;

namespace RlTrainer.Rewards.Mixing;

/// <summary>
/// Decides whether a reward mix gives every completion of a given correctness the same total, so that a group whose
/// completions all share that correctness has zero GRPO advantage whatever else differs (docs/algorithms.md#group-abort,
/// PredictedRewardVarianceIsZero). Unknown or length/form-dependent components answer "no", which only ever
/// prevents a group abort.
/// </summary>
public static class ZeroVariancePredictor
{
    /// <summary>True when every completion whose answer is <paramref name="correct"/> gets the same reward.</summary>
    public static bool RewardFixedBy(RewardMix mix, bool correct) =>
        mix.Components.All(c => c.Weight == 0 || c.Function.Type switch
        {
            MathAccuracyReward.TypeName => true,
            // −ERD for a correct answer varies with the tail after it; a wrong answer always gets 0.
            ExternalRedundancyReward.TypeName => !correct,
            _ => false,
        });
}
