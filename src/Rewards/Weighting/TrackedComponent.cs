namespace RlTrainer.Rewards.Weighting;

/// <summary>One coordinate of the hypervolume: a reward component of the mix and whether its mean should rise or fall.</summary>
public sealed record TrackedComponent(string Name, ComponentDirection Direction);
