using RlTrainer.Rollout.Pruning;

namespace RlTrainer.Rollout.Tests.Pruning;

public class RowTraceTests
{
    private static readonly AnswerEquivalence Eq = new();

    /// Feeds text one character per "token" (token id = char code) and returns the first signal and its token index.
    private static (TraceSignal Signal, int At, RowTrace Trace) Feed(string text, PruningOptions? o = null, int maxNew = 1000, bool trim = true)
    {
        var trace = new RowTrace(o ?? new PruningOptions(), maxNew, Eq, trim);
        foreach (var c in text)
        {
            var s = trace.Append(c, c.ToString());
            if (s != TraceSignal.None) return (s, trace.Tokens, trace);
        }
        return (TraceSignal.None, -1, trace);
    }

    private const string Base = "7 + 3 = 10. 10 / 2 = 5. \\boxed{5}";

    [Fact]
    public void Overthink_FiresAtTheBoundaryAfterTheThirdEquivalentAnswer()
    {
        var text = Base + "\n\nWait, check: 10 / 2 = 5. The answer is 5." + "\n\nBut again: \\boxed{5.0}" + "\n\nHmm, 5." + "\n\nWait";
        var (signal, at, trace) = Feed(text);
        Assert.Equal(TraceSignal.Overthink, signal);
        // Third answer (5.0 ≡ 5) is observed when "\n\nHmm" closes its segment.
        Assert.Equal(text.IndexOf("\n\nHmm", StringComparison.Ordinal) + "\n\nHmm".Length, at);
        Assert.Equal(new[] { "5", "5", "5.0" }, trace.Answers.Select(a => a.Answer));
        Assert.Equal(2, trace.ConsecutiveEquivalent);
    }

    [Fact]
    public void Overthink_ResetsOnADifferentAnswer_AndIgnoresAnswerlessSegments()
    {
        // 5, 6, (no answer), 6 → counter 0, 0, -, 1: never reaches M = 2.
        var text = Base + "\n\nWait, \\boxed{6}" + "\n\nHmm, let me think" + "\n\nBut \\boxed{6}" + "\n\nWait";
        var (signal, _, trace) = Feed(text);
        Assert.Equal(TraceSignal.None, signal);
        Assert.Equal(1, trace.ConsecutiveEquivalent);
        Assert.Equal(4, trace.Segments);
    }

    [Fact]
    public void Overthink_NeverFiresForATeacherRow_OrWhenSwitchedOff()
    {
        var text = Base + "\n\nWait \\boxed{5}" + "\n\nWait \\boxed{5}" + "\n\nWait";
        Assert.Equal(TraceSignal.Overthink, Feed(text).Signal);
        Assert.Equal(TraceSignal.None, Feed(text, trim: false).Signal);
        var off = new PruningOptions { Overthink = new() { Enabled = false }, Underthink = new() { Enabled = false } };
        Assert.Equal(TraceSignal.None, Feed(text, off).Signal);
    }

    [Fact]
    public void Underthink_FiresAtTheFirstBoundaryPastHalfTheBudget_WhenNotConverged()
    {
        // 60-char budget: half = 30 tokens. The first boundary (at 13 tokens) is too early; the second is past 30.
        var text = "1 + 1 = 2. So\n\nWait, maybe 3 + 4 is 8\n\nBut";
        var (signal, at, _) = Feed(text, maxNew: 60);
        Assert.Equal(TraceSignal.Underthink, signal);
        Assert.Equal(text.Length, at);
    }

    [Fact]
    public void Underthink_FiresOnTheSegmentCount()
    {
        var o = new PruningOptions { Underthink = new() { MaxSegments = 3 } };
        var (signal, at, trace) = Feed("a\n\nHmm b\n\nHmm c\n\nHmm d", o);
        Assert.Equal(TraceSignal.Underthink, signal);
        Assert.Equal(3, trace.Segments);
        Assert.Equal("a\n\nHmm b\n\nHmm c\n\nHmm".Length, at);
    }

    [Fact]
    public void Markers_MatchOnDecodedText_WhateverTheTokenSplit()
    {
        // The same text as two different token splits: "\n\nWa" + "it" and "\n" + "\nWait".
        var o = new PruningOptions();
        foreach (var split in new[] { new[] { "x. \\boxed{1}", "\n\nWa", "it \\boxed{1}", "\n", "\nWait" },
                                      new[] { "x. \\boxed{1}\n", "\nWait \\boxed{1}\n\nW", "ait" } })
        {
            var trace = new RowTrace(o, 1000, Eq);
            foreach (var piece in split) trace.Append(1, piece);
            Assert.Equal(2, trace.Segments);
            Assert.Equal(2, trace.Answers.Count);
        }
    }

    [Fact]
    public void EndOfThinking_ClosesASegmentAndStopsTrimming()
    {
        var text = "<think>\\boxed{5}\n\nWait \\boxed{5}</think>\\boxed{5}\n\nWait \\boxed{5}\n\nWait";
        var (signal, _, trace) = Feed(text);
        Assert.Equal(TraceSignal.None, signal);
        Assert.False(trace.InThink);
        Assert.Equal(2, trace.Answers.Count);
    }

    [Fact]
    public void Repetition_FiresOnTheFourthOccurrenceOfTheWindow()
    {
        var o = new PruningOptions { Repetition = new() { Window = 4, MinRepeats = 4, Lookback = 100 } };
        var trace = new RowTrace(o, 1000, Eq);
        int[] loop = [11, 12, 13];
        var signals = new List<TraceSignal>();
        for (int i = 0; i < 30 && trace.Signal == TraceSignal.None; i++) signals.Add(trace.Append(loop[i % 3], ""));
        // 4-grams of a period-3 sequence repeat every 3 tokens: occurrences start at 0, 3, 6, 9 → the 4th ends at token 13.
        Assert.Equal(TraceSignal.Repeat, signals[^1]);
        Assert.Equal(13, trace.Tokens);
    }

    [Fact]
    public void Repetition_IgnoresRepeatsOutsideTheLookback()
    {
        var detector = new RepetitionDetector(window: 2, minRepeats: 2, lookback: 5);
        int[] ids = [1, 2, 3, 4, 5, 6, 1, 2];   // "1 2" again after 6 tokens: outside a 5-token lookback
        Assert.DoesNotContain(true, ids.Select(detector.Push).ToArray());
        var near = new RepetitionDetector(window: 2, minRepeats: 2, lookback: 8);
        Assert.True(ids.Select(near.Push).ToArray()[^1]);
    }

    [Fact]
    public void LastSentences_TakesTheTail()
    {
        Assert.Equal("C d. E!", RowTrace.LastSentences("A b. C d. E!", 2));
        Assert.Equal("A b. C d.", RowTrace.LastSentences("A b. C d.", 5));
    }

    [Fact]
    public void OpenAnswer_IsSeenWhenTheBoxCloses_AndGivesWayToTheClosedSegmentsAnswer()
    {
        var trace = new RowTrace(new PruningOptions(), 1000, Eq);
        void Add(string text) { foreach (var c in text) trace.Append(c, c.ToString()); }
        Add("10 / 2 = 5. \\boxed{\\frac{10}{2");
        Assert.Null(trace.OpenAnswer);
        Add("}");                                   // closes \frac's argument, not the box
        Assert.Null(trace.OpenAnswer);
        Add("}");
        Assert.Equal("\\frac{10}{2}", trace.OpenAnswer);
        Assert.Equal("\\frac{10}{2}", trace.StableAnswer(1));
        Assert.Null(trace.StableAnswer(2));         // one observation so far
        Assert.Empty(trace.Answers);                // no segment has closed
        Add("\n\nWait, again \\boxed{5}");
        // The boundary recorded the first segment's answer; the new segment's box is the open answer.
        Assert.Equal(new[] { "\\frac{10}{2}" }, trace.Answers.Select(a => a.Answer));
        Assert.Equal("5", trace.OpenAnswer);
        Add("\n\nBut");
        Assert.Null(trace.OpenAnswer);
        Assert.Equal(2, trace.Answers.Count);       // the open answer was not counted twice
        // TrimR's counter compared the two closed answers once: 1 if \frac{10}{2} ≡ 5 under the verifier, else 0.
        Assert.Equal(Eq.Equivalent("\\frac{10}{2}", "5") ? 1 : 0, trace.ConsecutiveEquivalent);
    }

    [Fact]
    public void StableAnswer_CountsTheOpenAnswerAfterTheClosedOnes()
    {
        var (_, _, trace) = Feed("\\boxed{6}\n\nWait, no: \\boxed{5}");
        Assert.Equal("5", trace.StableAnswer(1));
        Assert.Null(trace.StableAnswer(2));          // 6 then 5
        var (_, _, agreeing) = Feed("\\boxed{5}\n\nWait, yes: \\boxed{5}");
        Assert.Equal("5", agreeing.StableAnswer(2));
        Assert.Null(agreeing.StableAnswer(3));
    }
}
