namespace RlTrainer.Rewards.Verifiers;

/// <summary>
/// The part of a completion its answer may be read from: what the model wrote itself, outside its tool-call blocks
/// and outside the tool responses injected into a multi-turn transcript (Hermes / Qwen format,
/// docs/algorithms.md#tool-calls). A call's expression ("125268/26") is a request, not an answer, and a response
/// ("4818") is the tool's text, not the model's: neither may grade a completion. A completion without tool markup is
/// returned as it is.
/// </summary>
public static class ModelAuthoredText
{
    public const string CallOpen = "<tool_call>";
    public const string CallClose = "</tool_call>";
    public const string ResponseOpen = "<tool_response>";
    public const string ResponseClose = "</tool_response>";

    // ChatML's role lines around an injected tool turn once its special tokens are removed:
    // "\n<|im_start|>user\n<tool_response>…</tool_response><|im_end|>\n<|im_start|>assistant\n" reads
    // "\nuser\n<tool_response>…</tool_response>\nassistant\n".
    private const string UserLine = "\nuser\n";
    private const string AssistantLine = "\nassistant\n";

    /// <summary>The model's own turns (each already free of injected text), their call blocks removed, one per line.</summary>
    public static string FromTurns(IEnumerable<string> turns) => string.Join("\n", turns.Select(WithoutCalls));

    /// <summary>
    /// The model's text of a decoded transcript (special tokens removed), where only the text says what was injected:
    /// each run of <c>&lt;tool_response&gt;</c> blocks, with the role lines around it, separates two turns; an unclosed
    /// response runs to the end. Then <see cref="FromTurns"/>. Text without "&lt;tool_" is returned unchanged.
    /// </summary>
    public static string FromTranscript(string text)
    {
        if (!text.Contains("<tool_", StringComparison.Ordinal)) return text;
        var turns = new List<string>();
        int at = 0;
        while (true)
        {
            int open = text.IndexOf(ResponseOpen, at, StringComparison.Ordinal);
            if (open < 0) { turns.Add(text[at..]); break; }
            var turn = text.AsSpan(at, open - at);
            if (turn.EndsWith(UserLine, StringComparison.Ordinal)) turn = turn[..^UserLine.Length];
            turns.Add(turn.ToString());
            at = SkipResponses(text, open);
        }
        return FromTurns(turns);
    }

    /// <summary>One <c>&lt;tool_call&gt;</c> block of a turn: [Start, End) in the turn, its body [BodyStart, BodyEnd), and
    /// whether a <c>&lt;/tool_call&gt;</c> closed it.</summary>
    public readonly record struct CallBlock(int Start, int BodyStart, int BodyEnd, int End, bool Closed);

    /// <summary>The call blocks of <paramref name="turn"/>, in order: the one reading of the markup that the tool-call
    /// parser and the answer extractor share. A block not closed before the next <c>&lt;tool_call&gt;</c> runs to it, or
    /// to the end of the turn.</summary>
    public static IEnumerable<CallBlock> CallBlocks(string turn)
    {
        int at = 0;
        while ((at = turn.IndexOf(CallOpen, at, StringComparison.Ordinal)) >= 0)
        {
            int bodyStart = at + CallOpen.Length;
            int close = turn.IndexOf(CallClose, bodyStart, StringComparison.Ordinal);
            int next = turn.IndexOf(CallOpen, bodyStart, StringComparison.Ordinal);
            var block = close >= 0 && (next < 0 || close < next)
                ? new CallBlock(at, bodyStart, close, close + CallClose.Length, Closed: true)
                : new CallBlock(at, bodyStart, next >= 0 ? next : turn.Length, next >= 0 ? next : turn.Length, Closed: false);
            yield return block;
            at = block.End;
        }
    }

    /// <summary>One turn without its <c>&lt;tool_call&gt;</c> blocks (<see cref="CallBlocks"/>).</summary>
    public static string WithoutCalls(string turn)
    {
        if (!turn.Contains(CallOpen, StringComparison.Ordinal)) return turn;
        var kept = new System.Text.StringBuilder(turn.Length);
        int at = 0;
        foreach (var block in CallBlocks(turn))
        {
            kept.Append(turn, at, block.Start - at);
            at = block.End;
        }
        kept.Append(turn, at, turn.Length - at);
        return kept.ToString();
    }

    /// Past the run of response blocks starting at <paramref name="open"/> (joined by "\n") and the assistant line after it.
    private static int SkipResponses(string text, int open)
    {
        int at = open;
        while (true)
        {
            int close = text.IndexOf(ResponseClose, at + ResponseOpen.Length, StringComparison.Ordinal);
            if (close < 0) return text.Length;
            at = close + ResponseClose.Length;
            if (string.CompareOrdinal(text, at, "\n" + ResponseOpen, 0, ResponseOpen.Length + 1) == 0) { at++; continue; }
            if (string.CompareOrdinal(text, at, AssistantLine, 0, AssistantLine.Length) == 0) at += AssistantLine.Length;
            return at;
        }
    }
}
