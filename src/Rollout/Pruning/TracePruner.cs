using RlTrainer.Rollout.Sampling;
using RlTrainer.Rollout.Tokenization;

namespace RlTrainer.Rollout.Pruning;

/// <summary>
/// The decode hook of docs/algorithms.md#trace-pruning: per-row <see cref="RowTrace"/>s fed with incrementally decoded text, the
/// repetition kill, TrimR's overthinking trim and underthinking cut-off (each a Conclude with the injected text at
/// loss mask 0, or a Stop), and the zero-variance group abort. One instance per batch.
/// </summary>
public sealed class TracePruner : IDecodeHook
{
    private readonly PruningOptions _options;
    private readonly HfTokenizer _tokenizer;
    private readonly AnswerEquivalence _equivalence;
    private readonly IReadOnlyList<PrunedRow> _rows;
    private readonly GroupAbortPolicy _groupAbort;
    private readonly int[] _mildInject, _forcedInject;
    private RowTrace[] _traces = [];
    private IncrementalDecoder[] _decoders = [];
    private bool[] _finished = [];
    private Dictionary<int, int[]> _groups = new();
    private readonly HashSet<int> _aborted = new();
    private int _maxNewTokens;

    /// <param name="rows">One entry per request of the batch, in request order.</param>
    /// <param name="rewardFixedBy">See <see cref="GroupAbortPolicy"/>.</param>
    public TracePruner(PruningOptions options, HfTokenizer tokenizer, IReadOnlyList<PrunedRow> rows, Func<bool, bool> rewardFixedBy,
        AnswerEquivalence? equivalence = null)
    {
        (_options, _tokenizer, _rows) = (options, tokenizer, rows);
        _equivalence = equivalence ?? new AnswerEquivalence();
        _groupAbort = new GroupAbortPolicy(options.GroupAbort, _equivalence, rewardFixedBy);
        _mildInject = tokenizer.Encode(options.MildInject).ToArray();
        _forcedInject = tokenizer.Encode(options.ForcedInject).ToArray();
    }

    /// <summary>Groups aborted in this batch.</summary>
    public IReadOnlyCollection<int> AbortedGroups => _aborted;

    /// <summary>Each row's trace after generation (for logs and tests).</summary>
    public IReadOnlyList<RowTrace> Traces => _traces;

    public void Begin(IReadOnlyList<GenerationRequest> requests, SamplingOptions options)
    {
        if (requests.Count != _rows.Count)
            throw new ArgumentException($"the pruner was built for {_rows.Count} rows, the batch has {requests.Count}", nameof(requests));
        _maxNewTokens = options.MaxNewTokens;
        _traces = _rows.Select(r => new RowTrace(_options, _maxNewTokens, _equivalence, trim: !r.Teacher)).ToArray();
        _decoders = _rows.Select(_ => _tokenizer.CreateIncrementalDecoder(skipSpecialTokens: true)).ToArray();
        _finished = new bool[_rows.Count];
        _aborted.Clear();
        // Only whole groups can be predicted: a group split across batches is never aborted.
        _groups = Enumerable.Range(0, _rows.Count).GroupBy(i => _rows[i].Group).ToDictionary(g => g.Key, g => g.ToArray());
    }

    public void OnStep(int step, IReadOnlyList<DecodedToken> tokens, DecodeActions actions)
    {
        foreach (var t in tokens)
        {
            var piece = _decoders[t.Row].Append(t.TokenId);
            var signal = _traces[t.Row].Append(t.TokenId, piece, t.Injected);
            if (t.Finished) { _finished[t.Row] = true; continue; }
            switch (signal)
            {
                case TraceSignal.Repeat when _options.Repetition.Conclude:
                    actions.Conclude(t.Row, _forcedInject, _options.Repetition.ExtraBudget, StopReason.Repeat); break;
                case TraceSignal.Repeat:
                    actions.Stop(t.Row, StopReason.Repeat); break;
                case TraceSignal.Overthink:
                    actions.Conclude(t.Row, _mildInject, _options.Overthink.ExtraBudget, StopReason.Overthink); break;
                case TraceSignal.Underthink:
                    actions.Conclude(t.Row, _forcedInject, _options.Underthink.ExtraBudget, StopReason.Underthink); break;
            }
        }
        if (!_groupAbort.CheckDue(step, _maxNewTokens)) return;
        foreach (var (group, members) in _groups)
        {
            if (group < 0 || _aborted.Contains(group) || members.Length < 2) continue;
            var rows = members.Select(i => (_traces[i], _finished[i])).ToArray();
            if (!_groupAbort.ShouldAbort(rows, _rows[members[0]].GroundTruth)) continue;
            _aborted.Add(group);
            actions.AbortGroup(members.Where(i => !_finished[i]));
        }
    }
}
