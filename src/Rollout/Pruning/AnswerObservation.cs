namespace RlTrainer.Rollout.Pruning;

/// <summary>An intermediate answer found at the end of a thought segment.</summary>
/// <param name="TokenIndex">Tokens of the trace when the segment closed.</param>
/// <param name="Segment">0-based index of the segment.</param>
/// <param name="Answer">The answer as written (compare with <see cref="AnswerEquivalence"/>).</param>
public sealed record AnswerObservation(int TokenIndex, int Segment, string Answer);
