using RlTrainer.Rewards.Functions;
using RlTrainer.Rollout.Sampling;
using RlTrainer.Rollout.Tokenization;
using RlTrainer.Rollout.Tools;
using RlTrainer.Trainer.Errors;

namespace RlTrainer.Trainer.Tools;

/// <summary>
/// What a generation with tools needs for one draw (the rollout phase's, the evaluator's): a <see cref="ToolCallHook"/>
/// per generation batch, each row's calls afterwards by its index in the draw, and a row's own turns (what its
/// answer is read from).
/// </summary>
public sealed class ToolRollouts
{
    private readonly ToolSession _session;
    private readonly HfTokenizer _tokenizer;
    private readonly Dictionary<ToolCallHook, int> _firstRow = new(ReferenceEqualityComparer.Instance);
    private IReadOnlyList<ToolCallRecord>[] _calls = [];

    /// <exception cref="BadInputException">when the tokenizer's chat template is not ChatML (the Hermes tool format).</exception>
    public ToolRollouts(ToolSession session, HfTokenizer tokenizer)
    {
        if (tokenizer.ChatTemplateKind != ChatTemplateKind.ChatMl)
            throw new BadInputException($"{ToolsOptions.Section}:Enabled needs a ChatML chat template (Qwen2.5/Qwen3 tool format), but the " +
                $"tokenizer in {Path.GetDirectoryName(tokenizer.FilePath)} has a {tokenizer.ChatTemplateKind} one.");
        (_session, _tokenizer) = (session, tokenizer);
    }

    public ToolSession Session => _session;

    /// <summary>A new draw of <paramref name="rows"/> rows.</summary>
    public void BeginDraw(int rows)
    {
        _firstRow.Clear();
        _calls = Enumerable.Repeat<IReadOnlyList<ToolCallRecord>>([], rows).ToArray();
    }

    /// <summary>The hook of rows [first, first + count) of the draw.</summary>
    public ToolCallHook HookFor(int first, int count, CancellationToken ct)
    {
        var hook = new ToolCallHook(_session.Box, _tokenizer, _session.Limits, ct);
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

    /// <summary>The model's own turns of a completion (<see cref="RewardInput.ModelTurns"/>): each run of sampled
    /// tokens decoded with special tokens removed; the injected tool turns (<see cref="GenerationResult.Sampled"/>
    /// false) are left out.</summary>
    public IReadOnlyList<string> ModelTurns(GenerationResult result)
    {
        if (result.Sampled is not { } sampled) return [_tokenizer.Decode(result.TokenIds, skipSpecialTokens: true)];
        var turns = new List<string>();
        for (int start = 0; start < sampled.Count;)
        {
            if (!sampled[start]) { start++; continue; }
            int end = start;
            while (end < sampled.Count && sampled[end]) end++;
            turns.Add(_tokenizer.Decode(result.TokenIds.Skip(start).Take(end - start), skipSpecialTokens: true));
            start = end;
        }
        return turns;
    }
}
