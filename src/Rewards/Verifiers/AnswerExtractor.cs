using System.Text.RegularExpressions;

namespace RlTrainer.Rewards.Verifiers;

/// <summary>
/// Finds the answer a completion commits to. Explicit markers compete by position and the last one wins (a model
/// that boxes 255 and then writes "The final answer is 10,455" answers 10,455): the last <c>\boxed{}</c>/<c>\fbox{}</c>,
/// the last "#### …" line, the last "answer is …"/"Answer: …". After a <c>&lt;/think&gt;</c> only the conclusion is
/// searched, falling back to a box in the thinking part. An unterminated last box (a truncated completion) yields
/// no answer. Without markers, the last number (or last inline math) is used unless that fallback is off. Only the
/// model's own text is searched: tool-call blocks and injected tool responses are left out first
/// (<see cref="ModelAuthoredText.FromTranscript"/>).
/// </summary>
public static partial class AnswerExtractor
{
    /// <summary>Only the tail is searched for a last number: degenerate completions can be megabytes long.</summary>
    private const int LastNumberWindow = 5000;

    /// <summary>A completion this short with no sentence in it is itself the answer ("-\frac{3}{4}").</summary>
    private const int MaxBareAnswerLength = 80;

    private static readonly string[] PhraseTriggers = { "answer is", "answer:" };

    /// <summary>
    /// The answer of a model completion, or null when it commits to none. <paramref name="plainNumbers"/> false
    /// limits the fallback to LaTeX math (Math-Verify with only its LaTeX extraction target): no bare number, no bare text.
    /// </summary>
    public static ExtractedAnswer? FromCompletion(string completion, bool lastNumberFallback = true, bool plainNumbers = true)
    {
        completion = ModelAuthoredText.FromTranscript(completion ?? "");
        if (string.IsNullOrWhiteSpace(completion)) return null;   // nothing written, or tool markup only
        var thinkEnd = completion.LastIndexOf("</think>", StringComparison.Ordinal);
        var conclusion = thinkEnd >= 0 ? completion[(thinkEnd + "</think>".Length)..] : completion;

        var explicitAnswer = FindExplicit(conclusion, out var truncated);
        if (explicitAnswer is not null) return explicitAnswer;
        if (truncated) return null;
        if (thinkEnd >= 0)
        {
            var box = FindLastBox(completion[..thinkEnd], out var thinkTruncated);
            if (box is not null && !thinkTruncated) return new ExtractedAnswer(box.Value.Content, AnswerSource.Boxed);
        }
        if (!lastNumberFallback) return null;
        return FindFallback(string.IsNullOrWhiteSpace(conclusion) ? completion : conclusion, plainNumbers);
    }

    /// <summary>
    /// The answer inside a dataset's ground truth: the last box of a MATH solution, the "#### 72" of a GSM8K
    /// solution, the "final answer is …" of a worked solution, or the whole string when it is already a bare answer.
    /// Null for an empty ground truth.
    /// </summary>
    public static string? FromGroundTruth(string groundTruth) => GroundTruthAnswer(groundTruth)?.Text;

    /// <summary>
    /// The boxed answer of a text by the rule completions are read with (<see cref="FindLastBox"/>: escaped braces
    /// do not count, nearby boxes that answer together are joined): what a dataset's solution column yields as its
    /// gold answer. Null when there is no box, the last one never closes, or it is empty.
    /// </summary>
    public static string? LastBoxed(string text) =>
        FindLastBox(text, out var truncated) is { } box && !truncated && box.Content.Length > 0 ? box.Content : null;

    /// <summary><see cref="FromGroundTruth"/> with where the answer was found (a bare ground truth is <see cref="AnswerSource.WholeText"/>).</summary>
    internal static ExtractedAnswer? GroundTruthAnswer(string groundTruth)
    {
        if (string.IsNullOrWhiteSpace(groundTruth)) return null;
        var box = FindLastBox(groundTruth, out var truncated);
        if (box is not null && !truncated) return new ExtractedAnswer(box.Value.Content, AnswerSource.Boxed);
        var marker = FindGsm8kMarker(groundTruth);
        if (marker is not null) return new ExtractedAnswer(marker.Value.Content, AnswerSource.Gsm8kMarker);
        // Math-Verify reads a gold solution as it reads a completion; a bare answer never says "answer is".
        var phrase = FindPhrase(groundTruth);
        if (phrase is not null) return new ExtractedAnswer(phrase.Value.Content, AnswerSource.AnswerPhrase);
        return new ExtractedAnswer(groundTruth.Trim(), AnswerSource.WholeText);
    }

    private static ExtractedAnswer? FindExplicit(string text, out bool truncated)
    {
        var box = FindLastBox(text, out truncated);
        if (truncated) return null;
        var marker = FindGsm8kMarker(text);
        var phrase = FindPhrase(text);
        var best = (Start: -1, Answer: (ExtractedAnswer?)null);
        if (box is not null) best = (box.Value.Start, new ExtractedAnswer(box.Value.Content, AnswerSource.Boxed));
        if (marker is not null && marker.Value.Start > best.Start)
            best = (marker.Value.Start, new ExtractedAnswer(marker.Value.Content, AnswerSource.Gsm8kMarker));
        if (phrase is not null && phrase.Value.Start > best.Start)
            best = (phrase.Value.Start, new ExtractedAnswer(phrase.Value.Content, AnswerSource.AnswerPhrase));
        return best.Answer;
    }

    /// <summary>
    /// The last complete box, joined with the boxes before it that answer together, as Math-Verify joins them
    /// (latex2sympy2_extended's extract_boxed_content, mode "last"): walking back, an earlier box joins when under 10
    /// characters separate it from the next, or under 70 that hold "and", "or", "," or ";" and its content differs
    /// ("\boxed{1} papers and \boxed{2} bins" answers "1, 2"; "\boxed{1} no no no no no \boxed{2}" answers "2").
    /// Identical neighbours count once. <paramref name="truncated"/> when the last box never closes.
    /// </summary>
    internal static (int Start, string Content)? FindLastBox(string text, out bool truncated)
    {
        truncated = false;
        var boxes = new List<(int Start, int End, string Content)>();
        var i = 0;
        while (true)
        {
            var at = NextBoxCommand(text, i, out var commandEnd);
            if (at < 0) break;
            var open = commandEnd;
            while (open < text.Length && text[open] == ' ') open++;
            if (open < text.Length && text[open] == '{')
            {
                var close = BraceScanner.FindClosingBrace(text, open);
                if (close < 0) { truncated = true; break; }
                boxes.Add((at, close + 1, text[(open + 1)..close]));
                i = close + 1;
            }
            else if (open > commandEnd && open < text.Length)
            {
                // verl's "\boxed 5" form: the argument runs to the next space or '$'.
                var end = open;
                while (end < text.Length && !char.IsWhiteSpace(text[end]) && text[end] != '$') end++;
                boxes.Add((at, end, text[open..end]));
                i = end;
            }
            else i = commandEnd;
        }
        if (truncated || boxes.Count == 0) return null;
        var first = boxes.Count - 1;
        var parts = new List<string> { boxes[first].Content.Trim() };
        while (first > 0)
        {
            var previous = boxes[first - 1].Content.Trim();
            var gap = text.AsSpan(boxes[first - 1].End, boxes[first].Start - boxes[first - 1].End);
            if (!JoinsNextBox(gap, previous, parts[^1])) break;
            if (previous != parts[^1]) parts.Add(previous);
            first--;
        }
        parts.Reverse();
        return (boxes[first].Start, string.Join(", ", parts));
    }

    // Math-Verify measures the gap from the earlier box's closing brace to the later box's backslash, exclusive.
    private static bool JoinsNextBox(ReadOnlySpan<char> gap, string content, string nextContent) =>
        gap.Length < 10 || (gap.Length < 70 && content != nextContent && BoxSeparator().IsMatch(gap));

    private static int NextBoxCommand(string text, int from, out int commandEnd)
    {
        commandEnd = -1;
        while (from < text.Length)
        {
            var b = text.IndexOf("\\boxed", from, StringComparison.Ordinal);
            var f = text.IndexOf("\\fbox", from, StringComparison.Ordinal);
            var at = b < 0 ? f : f < 0 ? b : Math.Min(b, f);
            if (at < 0) return -1;
            var end = at + (at == b ? "\\boxed".Length : "\\fbox".Length);
            if (end < text.Length && char.IsAsciiLetter(text[end])) { from = end; continue; } // \boxedx is another command
            commandEnd = end;
            return at;
        }
        return -1;
    }

    private static (int Start, string Content)? FindGsm8kMarker(string text)
    {
        var at = text.LastIndexOf("####", StringComparison.Ordinal);
        if (at < 0) return null;
        var start = at + 4;
        var end = text.IndexOf('\n', start);
        var content = (end < 0 ? text[start..] : text[start..end]).Trim();
        return content.Length == 0 ? null : (at, content);
    }

    private static (int Start, string Content)? FindPhrase(string text)
    {
        var best = -1;
        var bestEnd = -1;
        foreach (var trigger in PhraseTriggers)
        {
            var at = text.LastIndexOf(trigger, StringComparison.OrdinalIgnoreCase);
            if (at > best) { best = at; bestEnd = at + trigger.Length; }
        }
        if (best < 0) return null;
        var content = CutAnswerSentence(text, bestEnd);
        return content is null ? null : (best, content);
    }

    /// <summary>The answer right after a trigger: its math span if it starts with one, else its sentence.</summary>
    private static string? CutAnswerSentence(string text, int from)
    {
        var i = from;
        while (i < text.Length && (text[i] is ' ' or '\t' or ':' or '*' or '"' || text[i] == '\\' && At(text, i + 1, '"'))) i++;
        if (i >= text.Length) return null;
        var lineEnd = text.IndexOf('\n', i);
        var line = lineEnd < 0 ? text[i..] : text[i..lineEnd];
        var stop = SentenceEnd().Match(line);
        // A quoted answer may come with escaped quotes: "is \"$12 $ and $13 $\". I hope".
        var sentence = (stop.Success ? line[..stop.Index] : line).Trim().TrimEnd('.', '*', '"', '\\');
        var span = MathSpan(text, i);
        if (span is not null)
        {
            // "$12$ and $13$" is one answer written in two spans; otherwise the first span is the answer.
            var joined = InlineMath().Count(sentence) >= 2
                         && BoxConnector().Replace(InlineMath().Replace(sentence, ""), "").Trim('"', '\'').Length == 0;
            return joined ? sentence : span.Value.Content;
        }
        // "Final Answer: The largest $n$ is 34." states its answer after the last " is ".
        var isAt = sentence.LastIndexOf(" is ", StringComparison.Ordinal);
        if (isAt >= 0) sentence = sentence[(isAt + 4)..].Trim();
        if (sentence.Length == 0) return null;
        if (!LooksLikeSentence(sentence)) return sentence;
        // "330 because 3 + 30 = 33", "Jane started 3 hours ago": the first number is the one stated.
        var first = FirstNumber(sentence);
        return first ?? sentence;
    }

    private static bool At(string text, int i, char c) => i < text.Length && text[i] == c;

    /// <summary>A math span starting at <paramref name="i"/>: $$…$$, \[…\], or the inline $…$ and \(…\) on one line (as Math-Verify).</summary>
    private static (int Start, int End, string Content)? MathSpan(string text, int i)
    {
        (string Open, string Close, bool OneLine)[] kinds = { ("$$", "$$", false), ("\\[", "\\]", false), ("\\(", "\\)", true), ("$", "$", true) };
        foreach (var (open, close, oneLine) in kinds)
        {
            if (string.CompareOrdinal(text, i, open, 0, open.Length) != 0) continue;
            var contentStart = i + open.Length;
            var end = contentStart;
            while (true)
            {
                end = text.IndexOf(close, end, StringComparison.Ordinal);
                if (end < 0) return null;
                if (close == "$" && end > 0 && text[end - 1] == '\\') { end++; continue; }
                break;
            }
            if (oneLine && text.AsSpan(contentStart, end - contentStart).Contains('\n')) return null;
            if (end == contentStart) return null;
            return (i, end + close.Length, text[contentStart..end]);
        }
        return null;
    }

    private static ExtractedAnswer? FindFallback(string text, bool plainNumbers)
    {
        var trimmed = text.Trim();
        if (plainNumbers && trimmed.Length <= MaxBareAnswerLength && !trimmed.Contains('$') && !LooksLikeSentence(trimmed)
            && PlainWord().Count(trimmed) <= 1)
            return new ExtractedAnswer(trimmed, AnswerSource.WholeText);
        var tail = text.Length > LastNumberWindow ? text[^LastNumberWindow..] : text;
        var number = plainNumbers ? LastNumber(tail) : null;
        var span = LastMathSpan(tail);
        // A span is taken when it holds a number, or when it ends the text ("... so the answer is $E$").
        if (span is not null && (number is null || span.Value.End >= number.Value.End)
            && (span.Value.Content.Any(char.IsAsciiDigit) || tail.AsSpan(span.Value.End).Trim().TrimEnd(".!").IsEmpty))
            return new ExtractedAnswer(span.Value.Content, AnswerSource.LastMathSpan);
        return number is null ? null : new ExtractedAnswer(number.Value.Text, AnswerSource.LastNumber);
    }

    private static (int Start, int End, string Content)? LastMathSpan(string text)
    {
        (int, int, string)? last = null;
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (c == '\\' && i + 1 < text.Length && text[i + 1] == '$') { i += 2; continue; }
            if (c == '$' || (c == '\\' && i + 1 < text.Length && text[i + 1] is '(' or '['))
            {
                var span = MathSpan(text, i);
                if (span is not null) { last = span; i = span.Value.End; continue; }
            }
            i++;
        }
        return last;
    }

    private static (string Text, int End)? LastNumber(string text)
    {
        (string, int)? last = null;
        try
        {
            foreach (Match m in NumberPattern().Matches(text))
            {
                var end = m.Index + m.Length;
                if (end < text.Length && char.IsAsciiLetter(text[end]) && !FollowedByUnit(text, end)) continue;
                last = (m.Value, end);
            }
        }
        catch (RegexMatchTimeoutException)
        {
            return null;
        }
        return last;
    }

    private static string? FirstNumber(string text)
    {
        foreach (Match m in NumberPattern().Matches(text))
        {
            var end = m.Index + m.Length;
            if (end < text.Length && char.IsAsciiLetter(text[end]) && !FollowedByUnit(text, end)) continue;
            return m.Value;
        }
        return null;
    }

    private static bool FollowedByUnit(string text, int at)
    {
        var end = at;
        while (end < text.Length && char.IsAsciiLetter(text[end])) end++;
        return LatexNormalizer.IsUnitWord(text[at..end]);
    }

    // A statement rather than an answer: a word before a digit ("Jane started 3 hours ago"), or several words.
    private static bool LooksLikeSentence(string s)
    {
        var words = 0;
        var wordBeforeDigit = false;
        foreach (Match m in PlainWord().Matches(s))
        {
            if (LatexNormalizer.IsMathOrUnitWord(m.Value)) continue;
            words++;
            if (s.AsSpan(m.Index + m.Length).IndexOfAnyInRange('0', '9') >= 0) wordBeforeDigit = true;
        }
        return words >= 2 || wordBeforeDigit;
    }

    [GeneratedRegex(@"[\s,;$&]|\\[()\[\]]|\\\\|\\q?quad|\\text\{\s*(?:and|or)\s*\}|\band\b|\bor\b")]
    private static partial Regex BoxConnector();

    [GeneratedRegex(@"\b(?:and|or)\b|[,;]")]
    private static partial Regex BoxSeparator();

    [GeneratedRegex(@"\$[^$]*\$")]
    private static partial Regex InlineMath();

    [GeneratedRegex(@"\.(?=\s|$)|<\|", RegexOptions.None, 100)]
    private static partial Regex SentenceEnd();

    // "7,425,000" is one number; so is "2,74" (a decimal comma, Math-Verify's plain-number reading), but "1,2,3" is three.
    [GeneratedRegex(@"(?<![\w.\\])-?(?:\d{1,3}(?:,\d{3})+(?!\d)|\d+(?:,\d+(?![\d,]))?)(?:\.\d+)?(?:\s?/\s?\d+)?(?:\s?%)?", RegexOptions.None, 200)]
    private static partial Regex NumberPattern();

    [GeneratedRegex(@"(?<![\\A-Za-z])[A-Za-z]{2,}")]
    private static partial Regex PlainWord();
}
