using RlTrainer.Rewards.Functions;
using RlTrainer.Rollout.Sampling;
using RlTrainer.Rollout.Tokenization;

namespace RlTrainer.Rollout.Tools;

/// <summary>
/// Multi-turn rollouts inside the sampler's decode loop (docs/algorithms.md#tool-calls). A row whose assistant turn
/// ends with an eos token and holds a <c>&lt;tool_call&gt;</c> block has its calls run; their answers, rendered as the
/// chat template's tool turn followed by the next generation prompt, are teacher-forced into the row through the KV
/// cache (<see cref="DecodeActions.Continue"/>: loss mask 0), and the row samples its next turn. The calls of every
/// row that closed a turn in the same step run in parallel, each under its time limit; the step waits for them all, so
/// a row waiting on a tool holds the others for that one step only. Per token the hook appends one id to a list; the
/// turn is decoded only when it ends.
/// </summary>
/// <remarks>
/// ChatML transcript (Qwen2.5/Qwen3 Hermes format): the model writes
/// <c>&lt;tool_call&gt;\n{"name": "calculator", "arguments": {"expression": "123*456"}}\n&lt;/tool_call&gt;&lt;|im_end|&gt;</c>
/// and the hook injects <c>\n&lt;|im_start|&gt;user\n&lt;tool_response&gt;\n56088\n&lt;/tool_response&gt;&lt;|im_end|&gt;\n&lt;|im_start|&gt;assistant\n</c>.
/// </remarks>
public sealed class ToolCallHook(ToolBox tools, HfTokenizer tokenizer, ToolCallLimits limits, CancellationToken ct) : IDecodeHook
{
    /// <summary>Appended to an answer cut to <see cref="ToolCallLimits.MaxToolTokens"/> (verl's marker).</summary>
    public const string TruncationMarker = "...(truncated)";

    private RowTurns[] _rows = [];
    private IReadOnlySet<int> _eos = new HashSet<int>();

    /// <summary>The calls of row <paramref name="row"/> of the last batch, in order.</summary>
    public IReadOnlyList<ToolCallRecord> CallsOf(int row) => _rows[row].Calls;

    public void Begin(IReadOnlyList<GenerationRequest> requests, SamplingOptions options)
    {
        _rows = requests.Select(_ => new RowTurns()).ToArray();
        _eos = options.EosTokenIds;
    }

    public void OnStep(int step, IReadOnlyList<DecodedToken> tokens, DecodeActions actions)
    {
        List<(int Row, IReadOnlyList<ParsedToolCall> Calls)>? closed = null;
        foreach (var t in tokens)
        {
            if (t.Injected) continue;
            var row = _rows[t.Row];
            row.Turn.Add(t.TokenId);
            if (!t.Finished || !_eos.Contains(t.TokenId)) continue;
            var text = tokenizer.Decode(row.Turn, skipSpecialTokens: true);
            row.Turn.Clear();
            if (row.Rounds >= limits.MaxTurns || !ToolCallParser.HasCall(text)) continue;
            (closed ??= new()).Add((t.Row, ToolCallParser.Parse(text)));
        }
        if (closed is null) return;

        var running = closed.Select(c => c.Calls.Select(call => tools.RunAsync(call, _rows[c.Row].Rounds + 1, limits.CallTimeout, ct)).ToArray()).ToArray();
        try { Task.WaitAll(running.SelectMany(r => r).ToArray(), ct); }
        catch (AggregateException) when (ct.IsCancellationRequested) { ct.ThrowIfCancellationRequested(); }
        for (int k = 0; k < closed.Count; k++)
        {
            var row = _rows[closed[k].Row];
            var records = running[k].Select(task => Truncate(task.Result)).ToArray();
            row.Calls.AddRange(records);
            row.Rounds++;
            var continuation = tokenizer.ChatTemplate.ToolResponseContinuation(records.Select(r => r.Result).ToArray());
            actions.Continue(closed[k].Row, tokenizer.Encode(continuation));
        }
    }

    /// An answer of more than MaxToolTokens tokens keeps its first MaxToolTokens and gets the marker.
    private ToolCallRecord Truncate(ToolCallRecord record)
    {
        var ids = tokenizer.Encode(record.Result);
        if (ids.Count <= limits.MaxToolTokens) return record;
        var kept = tokenizer.Decode(ids.Take(limits.MaxToolTokens));
        return record with { Result = kept + TruncationMarker, Truncated = true };
    }

    private sealed class RowTurns
    {
        /// Sampled ids of the current assistant turn.
        public readonly List<int> Turn = new();
        public readonly List<ToolCallRecord> Calls = new();
        public int Rounds;
    }
}
