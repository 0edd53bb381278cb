using RlTrainer.Rewards.Mixing;
using RlTrainer.Rollout.Pruning;
using RlTrainer.Rollout.Tokenization;

namespace RlTrainer.Trainer.Pruning;

/// <summary>
/// Offline replay of the pruning rules on logged, unpruned rollouts (docs/algorithms.md#offline-replay). Each rule is replayed alone
/// over the logged token pieces with the same <see cref="RowTrace"/> and <see cref="GroupAbortPolicy"/> the live hook
/// uses. Stop decisions are exact. A conclusion's answer is not in the log, so it is estimated: an overthinking
/// conclusion re-states the converged answer, an underthinking or loop conclusion the last explicit answer of the
/// prefix (none: wrong), and it costs the injected tokens plus <c>\boxed{answer}</c> and an end token.
/// </summary>
public sealed class PruneSimulator(PruningOptions options, HfTokenizer tokenizer, RewardMix rewards)
{
    private readonly AnswerEquivalence _equivalence = new();

    public sealed record Summary(int Rows, int Groups, long SampledTokens, int ZeroVarianceGroups, int StableRows,
        int StableMatchesFinal, double MeanErd, IReadOnlyList<PruneSimRuleResult> Rules);

    public Summary Run(IReadOnlyList<RolloutLogRecord> records)
    {
        var groups = records.GroupBy(r => (r.Step, r.Draw, r.Group)).Select(g => g.ToArray()).ToList();
        var rules = new List<PruneSimRuleResult>
        {
            RowRule("repeat", Only(o => o.Repetition.Enabled = true), options.Repetition.Conclude ? options.ForcedInject : null, groups),
            RowRule("overthink", Only(o => o.Overthink.Enabled = true), options.MildInject, groups),
            RowRule("underthink", Only(o => o.Underthink.Enabled = true), options.ForcedInject, groups),
            GroupAbort(groups),
        };
        var (stable, matches) = StablePrecision(records);
        var erd = new RlTrainer.Rewards.Functions.ExternalRedundancyReward();
        var erds = records.Where(r => r.Correct).Select(r => erd.Degree(
            new RlTrainer.Rewards.Functions.RewardInput(r.Completion, r.GroundTruth) { TokenCharEnds = CharEnds(r) },
            _equivalence.FinalAnswer(r.Completion))).DefaultIfEmpty(0).Average();
        return new Summary(records.Count, groups.Count, records.Sum(r => (long)r.TokenIds.Count),
            groups.Count(g => g.Select(r => r.Reward).Distinct().Count() == 1), stable, matches, erds, rules);
    }

    private PruningOptions Only(Action<PruningOptions> enable)
    {
        var o = new PruningOptions
        {
            Enabled = true, SegmentMarkers = options.SegmentMarkers, MildInject = options.MildInject, ForcedInject = options.ForcedInject,
            Repetition = Copy(options.Repetition), Overthink = Copy(options.Overthink), Underthink = Copy(options.Underthink),
            GroupAbort = Copy(options.GroupAbort),
        };
        o.Repetition.Enabled = o.Overthink.Enabled = o.Underthink.Enabled = o.GroupAbort.Enabled = false;
        enable(o);
        return o;
    }

    private static T Copy<T>(T value) where T : class =>
        System.Text.Json.JsonSerializer.Deserialize<T>(System.Text.Json.JsonSerializer.Serialize(value))!;

    private PruneSimRuleResult RowRule(string name, PruningOptions o, string? inject, List<RolloutLogRecord[]> groups)
    {
        int fired = 0, changed = 0, groupsChanged = 0, groupsFired = 0;
        long saved = 0;
        int injectTokens = inject is null ? 0 : tokenizer.Encode(inject).Count;
        foreach (var group in groups)
        {
            bool groupChanged = false, groupFired = false;
            foreach (var r in group)
            {
                var trace = new RowTrace(o, r.MaxNewTokens, _equivalence);
                for (int i = 0; i < r.TokenIds.Count && trace.Signal == Rollout.Pruning.TraceSignal.None; i++)
                    trace.Append(r.TokenIds[i], r.Pieces[i]);
                if (trace.Signal == Rollout.Pruning.TraceSignal.None || trace.SignalAt >= r.TokenIds.Count) continue;
                fired++;
                groupFired = true;
                var prefix = string.Concat(r.Pieces.Take(trace.SignalAt));
                bool correct;
                long cost;
                if (inject is null)
                {
                    correct = _equivalence.IsCorrect(_equivalence.FinalAnswer(prefix), r.GroundTruth) == true;
                    cost = 0;
                }
                else
                {
                    var answer = name == "overthink" ? trace.Answers[^1].Answer : AnswerEquivalence.ExplicitAnswer(prefix);
                    correct = answer is not null && _equivalence.IsCorrect(answer, r.GroundTruth) == true;
                    cost = injectTokens + tokenizer.Encode($"\\boxed{{{answer ?? ""}}}").Count + 1;
                }
                saved += Math.Max(0, r.TokenIds.Count - trace.SignalAt - cost);
                if (correct != r.Correct) { changed++; groupChanged = true; }
            }
            if (groupChanged) groupsChanged++;
            if (groupFired) groupsFired++;
        }
        return new PruneSimRuleResult(name, fired, saved, changed, groupsChanged, groupsFired, Exact: inject is null);
    }

    /// Replays the groups in lockstep, as the sampler decodes them, checking every K_check steps.
    private PruneSimRuleResult GroupAbort(List<RolloutLogRecord[]> groups)
    {
        var o = Only(x => x.GroupAbort.Enabled = true);
        var policy = new GroupAbortPolicy(o.GroupAbort, _equivalence, c => ZeroVariancePredictor.RewardFixedBy(rewards, c));
        int fired = 0, falseAborts = 0, aborted = 0;
        long saved = 0;
        foreach (var group in groups)
        {
            if (group.Length < 2) continue;
            var traces = group.Select(r => new RowTrace(o, r.MaxNewTokens, _equivalence)).ToArray();
            int longest = group.Max(r => r.TokenIds.Count), maxNew = group[0].MaxNewTokens;
            for (int step = 0; step < longest; step++)
            {
                for (int k = 0; k < group.Length; k++)
                    if (step < group[k].TokenIds.Count) traces[k].Append(group[k].TokenIds[step], group[k].Pieces[step]);
                if (!policy.CheckDue(step, maxNew)) continue;
                var rows = traces.Select((t, k) => (t, group[k].TokenIds.Count <= step + 1)).ToArray();
                if (!policy.ShouldAbort(rows, group[0].GroundTruth)) continue;
                var running = group.Where(r => r.TokenIds.Count > step + 1).ToArray();
                fired += running.Length;
                aborted++;
                saved += running.Sum(r => (long)(r.TokenIds.Count - step - 1));
                if (group.Select(r => r.Reward).Distinct().Count() > 1) falseAborts++;
                break;
            }
        }
        return new PruneSimRuleResult("group_abort", fired, saved, 0, falseAborts, aborted, Exact: true);
    }

    /// How often a row's first stable answer (S agreeing observations) equals its final graded answer.
    private (int Rows, int Matches) StablePrecision(IReadOnlyList<RolloutLogRecord> records)
    {
        int rows = 0, matches = 0;
        var o = Only(_ => { });
        foreach (var r in records)
        {
            var trace = new RowTrace(o, r.MaxNewTokens, _equivalence);
            string? stable = null;
            for (int i = 0; i < r.TokenIds.Count && stable is null; i++)
            {
                trace.Append(r.TokenIds[i], r.Pieces[i]);
                stable = trace.StableAnswer(options.GroupAbort.StableObservations);
            }
            if (stable is null) continue;
            rows++;
            var final = _equivalence.FinalAnswer(r.Completion);
            if (final is not null && _equivalence.Equivalent(stable, final)) matches++;
        }
        return (rows, matches);
    }

    private static int[] CharEnds(RolloutLogRecord r)
    {
        var ends = new int[r.Pieces.Count];
        int n = 0;
        for (int i = 0; i < ends.Length; i++) ends[i] = n += r.Pieces[i].Length;
        return ends;
    }
}
