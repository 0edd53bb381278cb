namespace RlTrainer.Rewards.Functions;

/// <summary>
/// A reward: a pure function of one <see cref="RewardInput"/>. Returns null for "not applicable" (the gold answer
/// cannot be graded, a length is unknown): the mix leaves such a component out instead of counting it as 0, as
/// TRL does with a reward function's None. Implementations never throw on model output.
/// </summary>
public interface IRewardFunction
{
    /// <summary>The JSON <c>type</c> this function is configured by ("math_accuracy").</summary>
    string Type { get; }

    double? Score(RewardInput input);
}
