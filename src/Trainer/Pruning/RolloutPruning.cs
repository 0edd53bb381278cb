using RlTrainer.Rewards.Mixing;
using RlTrainer.Rollout.Pruning;
using RlTrainer.Rollout.Sampling;
using RlTrainer.Trainer.Data;
using RlTrainer.Trainer.Training;
using RlTrainer.Trainer.Contracts;

namespace RlTrainer.Trainer.Pruning;

/// <summary>
/// What the rollout phase needs from pruning, in one place: a <see cref="TracePruner"/> per generation batch (when
/// <c>Pruning:Enabled</c>), the step's <see cref="RolloutCost"/>, the loss-mask and stop-reason bookkeeping of
/// pruned samples (docs/algorithms.md#pruning-loss-mask), the zero-advantage treatment of aborted groups, and the rollout log.
/// </summary>
public sealed class RolloutPruning : IDisposable
{
    private readonly PruningOptions _options;
    private readonly PromptEncoder _encoder;
    private readonly Func<bool, bool> _rewardFixedBy;
    private readonly int _groupSize, _runSeed, _maxNewTokens;
    private readonly RolloutLogWriter? _log;
    private readonly HashSet<int> _aborted = new();

    public RolloutPruning(PruningOptions options, PromptEncoder encoder, RewardMix rewards, int groupSize, int runSeed, int maxNewTokens)
    {
        (_options, _encoder, _groupSize, _runSeed, _maxNewTokens) = (options, encoder, groupSize, runSeed, maxNewTokens);
        _rewardFixedBy = correct => ZeroVariancePredictor.RewardFixedBy(rewards, correct);
        if (options.LogFile is { Length: > 0 } path) _log = new RolloutLogWriter(path);
    }

    /// <summary>The current step's cost; <see cref="BeginStep"/> starts a new one.</summary>
    public RolloutCost Cost { get; private set; } = new();

    public void BeginStep() => Cost = new RolloutCost();

    /// <summary>Forgets the aborted groups of the previous draw.</summary>
    public void BeginDraw() => _aborted.Clear();

    /// <summary>The hook for rows [first, first + count) of a draw, or null when pruning is off.</summary>
    public TracePruner? HookFor(int step, int draw, int first, int count, IReadOnlyList<RlExample> examples)
    {
        if (!_options.Enabled) return null;
        var rows = new PrunedRow[count];
        for (int k = 0; k < count; k++)
        {
            int group = (first + k) / _groupSize;
            bool whole = group * _groupSize >= first && (group + 1) * _groupSize <= first + count;
            rows[k] = new PrunedRow(whole ? group : -1, examples[group].GroundTruth, IsTeacher(step, draw, group));
        }
        Cost.TeacherGroups += rows.Where(r => r.Teacher && r.Group >= 0).Select(r => r.Group).Distinct().Count();
        return new TracePruner(_options, _encoder.Tokenizer, rows, _rewardFixedBy);
    }

    /// <summary>Adds a generation batch's counters and remembers the groups its hook aborted.</summary>
    public void Record(GenerationStats? stats, IReadOnlyList<GenerationResult> results, TracePruner? hook)
    {
        if (stats is not null) Cost.Add(stats, results);
        if (hook is not null) _aborted.UnionWith(hook.AbortedGroups);
    }

    /// <summary>The text each token completed (special tokens skipped) and the running end offsets.</summary>
    public (string[] Pieces, int[] CharEnds) Pieces(IReadOnlyList<int> ids)
    {
        var decoder = _encoder.Tokenizer.CreateIncrementalDecoder(skipSpecialTokens: true);
        var pieces = new string[ids.Count];
        var ends = new int[ids.Count];
        for (int i = 0; i < ids.Count; i++)
        {
            pieces[i] = decoder.Append(ids[i]);
            ends[i] = decoder.Length;
        }
        // A character left incomplete at the end decodes to U+FFFD, as in the completion text.
        var tail = decoder.Flush();
        if (tail.Length > 0 && ids.Count > 0) { pieces[^1] += tail; ends[^1] = decoder.Length; }
        return (pieces, ends);
    }

    /// <summary>
    /// Loss masks and stop reasons onto the samples of a draw; an aborted group becomes a filtered group: equal rewards
    /// (its mean, so zero advantage and dynamic sampling drops it) and no trained token. Then logs the draw.
    /// </summary>
    public List<RolloutSample> Finish(int step, int draw, IReadOnlyList<RlExample> examples, IReadOnlyList<GenerationResult> results,
        IReadOnlyList<string> texts, IReadOnlyList<string[]>? pieces, List<RolloutSample> samples)
    {
        for (int i = 0; i < samples.Count; i++)
            samples[i] = samples[i] with { LossMask = results[i].Sampled, StopReason = results[i].StopReason };
        foreach (var group in _aborted)
        {
            int start = group * _groupSize;
            double mean = samples.Skip(start).Take(_groupSize).Select(s => s.Reward).Where(double.IsFinite).DefaultIfEmpty(0).Average();
            for (int i = start; i < start + _groupSize; i++)
                samples[i] = samples[i] with { Reward = mean, GroupAborted = true, LossMask = new bool[samples[i].CompletionIds.Count] };
        }
        Cost.AbortedGroups += _aborted.Count;
        _log?.Write(samples.Select((s, i) => new RolloutLogRecord
        {
            Step = step, Draw = draw, Group = i / _groupSize, GroundTruth = examples[i / _groupSize].GroundTruth,
            MaxNewTokens = _maxNewTokens, Completion = texts[i], TokenIds = s.CompletionIds, Pieces = pieces![i], // logging implies pieces
            Sampled = results[i].Sampled?.Select(b => b ? 1 : 0).ToArray(), StopReason = s.StopReason.ToSnakeCase(),
            Reward = samples[i].Reward, Correct = s.Correct, GroupAborted = s.GroupAborted, ToolCalls = s.ToolCalls,
        }));
        return samples;
    }

    /// Teacher groups are drawn from the run seed, step, draw and group, so a resumed run picks the same ones.
    private bool IsTeacher(int step, int draw, int group) =>
        _options.TeacherGroupFraction > 0 &&
        new Random(SampleSeeds.For(_runSeed ^ 0x7EAC, step * 1000L + draw, group)).NextDouble() < _options.TeacherGroupFraction;

    public void Dispose() => _log?.Dispose();
}
