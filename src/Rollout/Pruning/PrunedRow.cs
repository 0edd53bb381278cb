namespace RlTrainer.Rollout.Pruning;

/// <summary>What the pruner needs to know about one row of a batch besides its tokens.</summary>
/// <param name="Group">Group (prompt) id; rows of a group share it. Negative: a group not wholly in this batch, never aborted.</param>
/// <param name="GroundTruth">The gold answer, for the group-abort correctness prediction; null when unknown.</param>
/// <param name="Teacher">A teacher group's row: never trimmed (docs/algorithms.md#decode-hook).</param>
public sealed record PrunedRow(int Group, string? GroundTruth, bool Teacher);
