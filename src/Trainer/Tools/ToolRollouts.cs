using RlTrainer.Rewards.Functions;
using RlTrainer.Rollout.Sampling;
using RlTrainer.Rollout.Tokenization;
using RlTrainer.Rollout.Tools;

namespace RlTrainer.Trainer.Tools;

/// <summary>
/// What the rollout phase needs from tools for one draw: a <see cref="ToolCallHook"/> per generation batch, and each
/// row's calls afterwards by its index in the draw.
/// </summary>
public sealed class ToolRollouts(ToolSession session, HfTokenizer tokenizer)
{
    private readonly Dictionary<ToolCallHook, int> _firstRow = new(ReferenceEqualityComparer.Instance);
    private IReadOnlyList<ToolCallRecord>[] _calls = [];

    public ToolSession Session => session;

    /// <summary>A new draw of <paramref name="rows"/> rows.</summary>
    public void BeginDraw(int rows)
    {
        _firstRow.Clear();
        _calls = Enumerable.Repeat<IReadOnlyList<ToolCallRecord>>([], rows).ToArray();
    }

    /// <summary>The hook of rows [first, first + count) of the draw.</summary>
    public ToolCallHook HookFor(int first, int count, CancellationToken ct)
    {
        var hook = new ToolCallHook(session.Box, tokenizer, session.Limits, ct);
        _firstRow[hook] = first;
        return hook;
    }

    /// <summary>Keeps the calls of a finished batch's rows.</summary>
    public void Record(IReadOnlyList<GenerationResult> results, IDecodeHook? hook)
    {
        if (hook is not ToolCallHook tools || !_firstRow.Remove(tools, out var first)) return;
        for (int k = 0; k < results.Count; k++) _calls[first + k] = tools.CallsOf(k);
    }

    /// <summary>The calls of row <paramref name="row"/> of the draw.</summary>
    public IReadOnlyList<ToolCallRecord> CallsOf(int row) => _calls[row];
}
