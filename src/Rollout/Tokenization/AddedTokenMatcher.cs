using System.Text;
using System.Text.RegularExpressions;

namespace RlTrainer.Rollout.Tokenization;

/// <summary>
/// Finds added tokens (<c>&lt;|im_start|&gt;</c>, <c>&lt;think&gt;</c>, ...) written inside raw text, as Hugging Face
/// tokenizers do before normalization: leftmost match first and, at one position, the longest token.
/// </summary>
internal sealed class AddedTokenMatcher
{
    private readonly Regex? _regex;
    private readonly Dictionary<string, int> _idByContent;

    public AddedTokenMatcher(IReadOnlyCollection<AddedToken> tokens)
    {
        _idByContent = tokens.GroupBy(t => t.Content).ToDictionary(g => g.Key, g => g.Last().Id);
        if (tokens.Count == 0) return;

        // Longest first: .NET alternation takes the first alternative that matches at the leftmost position.
        var alternatives = tokens
            .Where(t => t.Content.Length > 0)
            .OrderByDescending(t => t.Content.Length)
            .ThenBy(t => t.Content, StringComparer.Ordinal)
            .Select(Alternative);
        _regex = new Regex(string.Join("|", alternatives), RegexOptions.Compiled | RegexOptions.CultureInvariant);
    }

    private static string Alternative(AddedToken token)
    {
        var pattern = new StringBuilder();
        if (token.SingleWord) pattern.Append(@"(?<!\w)");
        if (token.LeftStrip) pattern.Append(@"\s*");
        pattern.Append("(?<t>").Append(Regex.Escape(token.Content)).Append(')');
        if (token.RightStrip) pattern.Append(@"\s*");
        if (token.SingleWord) pattern.Append(@"(?!\w)");
        return pattern.ToString();
    }

    /// <summary>
    /// Cuts <paramref name="text"/> into segments: plain text (id -1) to be normalized and BPE-encoded, and added
    /// tokens (their id). Whitespace an lstrip/rstrip token absorbs belongs to no segment, as in Hugging Face.
    /// </summary>
    public void Segment(string text, List<(int Start, int Length, int TokenId)> segments)
    {
        segments.Clear();
        var position = 0;
        if (_regex is not null && text.Length > 0)
        {
            foreach (Match match in _regex.Matches(text))
            {
                if (match.Index > position) segments.Add((position, match.Index - position, -1));
                var core = match.Groups["t"];
                segments.Add((core.Index, core.Length, _idByContent[core.Value]));
                position = match.Index + match.Length;
            }
        }
        if (position < text.Length) segments.Add((position, text.Length - position, -1));
    }
}
