namespace RlTrainer.Rewards.Mixing;

/// <summary>
/// Scores of a batch: <see cref="Components"/>[i][k] is component k's raw value for sample i (null = not
/// applicable), kept for metrics; <see cref="Totals"/>[i] is the combined reward (null when no component applies,
/// which the trainer should treat as "no learning signal", as TRL's unscorable completions).
/// </summary>
public sealed record RewardBatchScores(IReadOnlyList<string> ComponentNames, double?[][] Components, double?[] Totals);
