namespace RlTrainer.Rollout.Pruning;

/// <summary>
/// docs/algorithms.md#group-abort, judge-free: a group is aborted when every row has an answer (a finished row its final
/// answer, a running row an answer stable over its last S observations), all answers are equivalent (or, with
/// <see cref="GroupAbortRuleOptions.RequireAgreement"/> off, all have the same correctness), and the reward mix gives
/// the same reward to every completion of that correctness. A group whose rows are predicted to differ in
/// correctness, or whose reward also depends on length or form, is never aborted.
/// </summary>
public sealed class GroupAbortPolicy
{
    private readonly GroupAbortRuleOptions _options;
    private readonly AnswerEquivalence _equivalence;
    private readonly Func<bool, bool> _rewardFixedBy;

    /// <param name="rewardFixedBy">For a correctness value, whether the reward mix gives every completion with it the
    /// same reward (see RlTrainer.Rewards.Mixing.ZeroVariancePredictor).</param>
    public GroupAbortPolicy(GroupAbortRuleOptions options, AnswerEquivalence equivalence, Func<bool, bool> rewardFixedBy)
    {
        (_options, _equivalence, _rewardFixedBy) = (options, equivalence, rewardFixedBy);
    }

    /// <summary>Whether a check at decode step <paramref name="step"/> (0-based) is due.</summary>
    public bool CheckDue(int step, int maxNewTokens) =>
        _options.Enabled && (step + 1) % _options.CheckEvery == 0 && step + 1 >= _options.MinTokensFraction * maxNewTokens;

    /// <summary>The common correctness of the group when it can be predicted, else null.</summary>
    public bool? PredictCorrectness(IReadOnlyList<(RowTrace Trace, bool Finished)> rows, string? groundTruth)
    {
        string? first = null;
        bool? common = null;
        foreach (var (trace, finished) in rows)
        {
            if (!finished && trace.Signal != TraceSignal.None) return null;      // being concluded: its answer is unknown
            var answer = finished ? _equivalence.FinalAnswer(trace.Text) : trace.StableAnswer(_options.StableObservations);
            if (answer is null) return null;
            first ??= answer;
            if (_options.RequireAgreement && !_equivalence.Equivalent(first, answer)) return null;
            var correct = _equivalence.IsCorrect(answer, groundTruth);
            if (correct is null || (common is not null && common != correct)) return null;
            common = correct;
        }
        return common;
    }

    /// <summary>True when the group should be stopped: it has a running row and its reward variance is predicted 0.</summary>
    public bool ShouldAbort(IReadOnlyList<(RowTrace Trace, bool Finished)> rows, string? groundTruth) =>
        rows.Any(r => !r.Finished) && PredictCorrectness(rows, groundTruth) is { } correct && _rewardFixedBy(correct);
}
