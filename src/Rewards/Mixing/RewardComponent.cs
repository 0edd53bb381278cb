using RlTrainer.Rewards.Functions;

namespace RlTrainer.Rewards.Mixing;

/// <summary>One configured component of a mix: a named reward function, its weight and the data sources it applies to.</summary>
public sealed record RewardComponent(string Name, IRewardFunction Function, double Weight, IReadOnlySet<string>? DataSources = null)
{
    /// <summary>The function's value, or null when the sample's data source is not one of <see cref="DataSources"/>.</summary>
    public double? Score(RewardInput input)
    {
        if (DataSources is not null && (input.DataSource is null || !DataSources.Contains(input.DataSource))) return null;
        return Function.Score(input);
    }
}
