using System.Globalization;
using System.Text.RegularExpressions;

namespace RlTrainer.Rollout.Tokenization;

/// <summary>
/// Splits normalized text into the pieces BPE runs on, as a Hugging Face pre-tokenizer chain of Split(regex, Isolated)
/// stages does: each stage re-splits every piece of the previous one; matches and the gaps between them are pieces.
/// </summary>
/// <remarks>
/// The tokenizer.json regexes are written for engines that match code points (Rust's regex, JS with the u flag),
/// while .NET matches UTF-16 units: a letter outside the BMP (𝐀, 𠀀) is two surrogates that are neither \p{L} nor
/// \p{N}, and an emoji's high surrogate alone satisfies a one-character class. So when a segment has surrogates, each
/// code point outside the BMP is replaced by one BMP stand-in of the same class (letter, number or other) before
/// matching, and the piece boundaries are mapped back to the original text.
/// </remarks>
internal sealed class PreTokenizerSplitter
{
    /// <summary>GPT-2's pre-tokenizer regex (what a plain ByteLevel pre-tokenizer with use_regex=true applies).</summary>
    public const string Gpt2Pattern =
        @"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+";

    /// <summary>The Split regex of Qwen2, Qwen2.5 and Qwen3 tokenizer.json files (digits one at a time).</summary>
    public const string Qwen2Pattern =
        @"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+";

    private const char LetterStandIn = '\u4E00';  // Lo
    private const char NumberStandIn = '\u0660';  // Nd
    private const char OtherStandIn = '\u2603';   // So: neither letter, number, whitespace nor apostrophe

    private readonly Regex[] _stages;

    public PreTokenizerSplitter(IReadOnlyList<string> patterns, bool addPrefixSpace)
    {
        _stages = patterns
            .Select(p => new Regex(p, RegexOptions.Compiled | RegexOptions.CultureInvariant))
            .ToArray();
        AddPrefixSpace = addPrefixSpace;
    }

    /// <summary>ByteLevel add_prefix_space: a space is put before a segment that does not start with one.</summary>
    public bool AddPrefixSpace { get; }

    /// <summary>Appends the (start, length) of each piece of <paramref name="text"/> to <paramref name="pieces"/>.</summary>
    public void Split(string text, List<(int Start, int Length)> pieces)
    {
        pieces.Clear();
        if (text.Length == 0) return;
        if (text.AsSpan().IndexOfAnyInRange('\uD800', '\uDFFF') < 0)
        {
            RunStages(text, pieces);
            return;
        }

        var (standIn, originalIndex) = ReplaceAstralCodePoints(text);
        RunStages(standIn, pieces);
        for (var i = 0; i < pieces.Count; i++)
        {
            var (start, length) = pieces[i];
            var from = originalIndex[start];
            pieces[i] = (from, originalIndex[start + length] - from);
        }
    }

    private void RunStages(string text, List<(int Start, int Length)> pieces)
    {
        pieces.Add((0, text.Length));
        var next = new List<(int Start, int Length)>();
        foreach (var stage in _stages)
        {
            next.Clear();
            foreach (var (start, length) in pieces) SplitIsolated(stage, text, start, length, next);
            pieces.Clear();
            pieces.AddRange(next);
        }
    }

    private static void SplitIsolated(Regex regex, string text, int start, int length, List<(int, int)> output)
    {
        var position = start;
        foreach (var match in regex.EnumerateMatches(text.AsSpan(start, length)))
        {
            if (match.Length == 0) continue;
            var matchStart = start + match.Index;
            if (matchStart > position) output.Add((position, matchStart - position));
            output.Add((matchStart, match.Length));
            position = matchStart + match.Length;
        }
        if (position < start + length) output.Add((position, start + length - position));
    }

    private static (string StandIn, int[] OriginalIndex) ReplaceAstralCodePoints(string text)
    {
        var chars = new char[text.Length];
        var originalIndex = new int[text.Length + 1];
        var n = 0;
        for (var i = 0; i < text.Length; i++)
        {
            originalIndex[n] = i;
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                chars[n++] = StandInFor(CharUnicodeInfo.GetUnicodeCategory(char.ConvertToUtf32(c, text[i + 1])));
                i++;
            }
            else
            {
                chars[n++] = char.IsSurrogate(c) ? OtherStandIn : c;
            }
        }
        originalIndex[n] = text.Length;
        return (new string(chars, 0, n), originalIndex);
    }

    private static char StandInFor(UnicodeCategory category) => category switch
    {
        UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
            or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter => LetterStandIn,
        UnicodeCategory.DecimalDigitNumber or UnicodeCategory.LetterNumber or UnicodeCategory.OtherNumber => NumberStandIn,
        _ => OtherStandIn,
    };
}
