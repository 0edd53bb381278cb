namespace RlTrainer.Trainer.Pruning;

/// <summary>One row of the <c>prune-sim</c> table: what one rule, alone, would have done to the logged rollouts.</summary>
/// <param name="Rule">repeat, overthink, underthink or group_abort.</param>
/// <param name="Fired">Rows the rule stopped or concluded (for group_abort: rows of aborted groups still running).</param>
/// <param name="TokensSaved">Sampled tokens not generated, net of the injected conclusion and a re-stated answer.</param>
/// <param name="CorrectnessChanged">Rows whose graded correctness would differ from the logged one.</param>
/// <param name="GroupsChanged">Groups whose advantages would change: a row's correctness changed, or (group_abort) a
/// group with unequal logged rewards was aborted.</param>
/// <param name="GroupsFired">Groups in which the rule fired on at least one row (for group_abort: groups aborted).</param>
/// <param name="Exact">True for pure stop decisions; false where the forced answer is estimated (docs/algorithms.md#offline-replay).</param>
public sealed record PruneSimRuleResult(string Rule, int Fired, long TokensSaved, int CorrectnessChanged, int GroupsChanged, int GroupsFired, bool Exact);
