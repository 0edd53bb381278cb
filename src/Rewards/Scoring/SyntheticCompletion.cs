using RlTrainer.Rewards.Functions;

namespace RlTrainer.Rewards.Scoring;

/// <summary>One generated completion and whether it was built to be correct (null: no answer, e.g. truncated).</summary>
public sealed record SyntheticCompletion(RewardInput Input, bool? BuiltCorrect);
