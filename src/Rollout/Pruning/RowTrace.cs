using System.Text;
using System.Text.RegularExpressions;

namespace RlTrainer.Rollout.Pruning;

/// <summary>
/// One row's pruning state (docs/algorithms.md#decode-hook), fed token by token with the text each token completed. Segment
/// boundaries are found on the decoded text, never on token ids (BPE merges make "\n\nWait" tokenise differently in
/// different contexts); at each boundary the finished segment's last sentences are searched for an explicit answer.
/// A <c>\boxed{}</c> in the segment still open is seen the moment its brace closes (<see cref="OpenAnswer"/>), so the
/// group abort need not wait for the next boundary; TrimR's counter only ever looks at closed segments. It reports at
/// most one signal per trace: whoever acts on it takes the row out of normal sampling.
/// </summary>
public sealed partial class RowTrace
{
    private readonly PruningOptions _options;
    private readonly int _maxNewTokens;
    private readonly bool _trim;
    private readonly AnswerEquivalence _equivalence;
    private readonly RepetitionDetector? _repetition;
    private readonly IReadOnlyList<string> _markers;
    private readonly int _longestMarker;
    private readonly StringBuilder _text = new();
    private readonly List<AnswerObservation> _answers = new();
    private int _segmentStart;
    private int _lastBoundary = -1;
    private int _openBox = -1;

    /// <param name="trim">False for a teacher group: overthink and underthink never fire (loops still do).</param>
    public RowTrace(PruningOptions options, int maxNewTokens, AnswerEquivalence equivalence, bool trim = true)
    {
        (_options, _maxNewTokens, _equivalence, _trim) = (options, maxNewTokens, equivalence, trim);
        if (options.Repetition.Enabled)
            _repetition = new RepetitionDetector(options.Repetition.Window, options.Repetition.MinRepeats, options.Repetition.Lookback);
        _markers = options.EffectiveSegmentMarkers;
        _longestMarker = _markers.Max(m => m.Length);
    }

    /// <summary>Tokens appended so far (sampled and injected).</summary>
    public int Tokens { get; private set; }
    public string Text => _text.ToString();
    public bool InThink { get; private set; } = true;
    /// <summary>Closed thought segments.</summary>
    public int Segments { get; private set; }
    public IReadOnlyList<AnswerObservation> Answers => _answers;
    /// <summary>The last boxed answer written in the segment that is still open (null when it has none yet). It is the
    /// trace's newest answer until the segment closes, when the segment's tail answer is recorded in its place.</summary>
    public string? OpenAnswer { get; private set; }
    /// <summary>TrimR's counter: how many answer-bearing segments in a row agreed with the one before.</summary>
    public int ConsecutiveEquivalent { get; private set; }
    /// <summary>The signal this trace gave, if any; after it the trace only records tokens.</summary>
    public TraceSignal Signal { get; private set; }
    /// <summary>Tokens when the signal fired (-1 before).</summary>
    public int SignalAt { get; private set; } = -1;

    public bool Converged => ConsecutiveEquivalent >= _options.Overthink.ConsecutiveEquivalent;

    /// <summary>Adds one token and the text it completed; returns the signal it triggers (None almost always).</summary>
    public TraceSignal Append(int tokenId, string piece, bool injected = false)
    {
        Tokens++;
        int before = _text.Length;
        _text.Append(piece);
        if (Signal != TraceSignal.None || injected) return TraceSignal.None;
        if (_repetition is not null && _repetition.Push(tokenId)) return Fire(TraceSignal.Repeat);
        if (piece.Length == 0) return TraceSignal.None;
        var signal = Fire(OnText(before));
        ObserveOpenBox(before, piece);
        return signal;
    }

    /// <summary>The newest answer when the last <paramref name="observations"/> answers (closed segments' answers, then
    /// <see cref="OpenAnswer"/>) all agree, else null.</summary>
    public string? StableAnswer(int observations)
    {
        int count = _answers.Count + (OpenAnswer is null ? 0 : 1);
        if (count < observations) return null;
        string At(int i) => i < _answers.Count ? _answers[i].Answer : OpenAnswer!;
        var last = At(count - 1);
        for (int i = count - observations; i < count - 1; i++)
            if (!_equivalence.Equivalent(At(i), last)) return null;
        return last;
    }

    /// Tracks the open segment's newest "\boxed{" (searched only in the text just added, and only when that text
    /// brings the opening brace, so most tokens cost nothing) and, once a closing brace completes it, takes its
    /// content as the segment's answer so far.
    private void ObserveOpenBox(int before, string piece)
    {
        const string box = "\\boxed{";
        int from = Math.Max(_segmentStart, before - box.Length + 1);
        if (piece.Contains('{') && _text.Length - from >= box.Length)
        {
            int at = _text.ToString(from, _text.Length - from).LastIndexOf(box, StringComparison.Ordinal);
            if (at >= 0) _openBox = from + at;
        }
        if (_openBox < _segmentStart || !piece.Contains('}')) return;
        var answer = AnswerEquivalence.ExplicitAnswer(_text.ToString(_openBox, _text.Length - _openBox));
        if (answer is null) return;
        OpenAnswer = answer;
        _openBox = -1;
    }

    private TraceSignal Fire(TraceSignal signal)
    {
        if (signal == TraceSignal.None) return signal;
        Signal = signal;
        SignalAt = Tokens;
        return signal;
    }

    /// Looks for a marker that ends in the text just added; at most one boundary per token.
    private TraceSignal OnText(int before)
    {
        int from = Math.Max(_lastBoundary + 1, before - _longestMarker + 1);
        int found = -1;
        string? marker = null;
        foreach (var m in _markers)
        {
            int at = _text.Length - from < m.Length ? -1 : _text.ToString(from, _text.Length - from).IndexOf(m, StringComparison.Ordinal);
            if (at >= 0 && (found < 0 || from + at < found)) (found, marker) = (from + at, m);
        }
        if (found < 0) return TraceSignal.None;
        var segment = _text.ToString(_segmentStart, found - _segmentStart);
        _segmentStart = _lastBoundary = found;
        OpenAnswer = null;
        bool wasThinking = InThink;
        if (marker == "</think>") InThink = false;
        return wasThinking ? CloseSegment(segment) : TraceSignal.None;
    }

    private TraceSignal CloseSegment(string segment)
    {
        Segments++;
        var answer = AnswerEquivalence.ExplicitAnswer(LastSentences(segment, _options.Overthink.TailSentences));
        if (answer is not null)
        {
            // Non-answer segments neither increment nor reset the counter: TrimR compares answer-bearing thoughts.
            bool same = _answers.Count > 0 && _equivalence.Equivalent(_answers[^1].Answer, answer);
            ConsecutiveEquivalent = same ? ConsecutiveEquivalent + 1 : 0;
            _answers.Add(new AnswerObservation(Tokens, Segments - 1, answer));
            if (_trim && _options.Overthink.Enabled && Converged && InThink) return TraceSignal.Overthink;
        }
        if (_trim && _options.Underthink.Enabled && InThink && !Converged &&
            (Tokens >= _options.Underthink.BudgetFraction * _maxNewTokens || Segments >= _options.Underthink.MaxSegments))
            return TraceSignal.Underthink;
        return TraceSignal.None;
    }

    /// <summary>The last <paramref name="count"/> sentences of <paramref name="text"/> (split after . ! ? or a line break).</summary>
    public static string LastSentences(string text, int count)
    {
        var ends = SentenceEnd().Matches(text);
        // The k-th sentence from the end starts after the (k)-th sentence end that is followed by more text.
        var starts = ends.Select(m => m.Index + m.Length).Where(i => i < text.Length).ToList();
        return starts.Count < count ? text : text[starts[^count]..];
    }

    [GeneratedRegex(@"(?<=[.!?])\s+|\n+")]
    private static partial Regex SentenceEnd();
}
