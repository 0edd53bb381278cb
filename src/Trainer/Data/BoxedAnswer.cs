namespace RlTrainer.Trainer.Data;

/// <summary>Finds the final <c>\boxed{...}</c> answer of a MATH-style solution.</summary>
public static class BoxedAnswer
{
    /// <summary>
    /// The content of the last <c>\boxed{...}</c> or <c>\fbox{...}</c>, nested braces included
    /// (<c>\boxed{\frac{3}{4}}</c> → <c>\frac{3}{4}</c>), or of the brace-less form <c>\boxed 5</c> up to the next
    /// space or <c>$</c>. Null when there is none, it is empty, or its braces do not close.
    /// </summary>
    public static string? Last(string text)
    {
        var boxed = text.LastIndexOf("\\boxed", StringComparison.Ordinal);
        var fbox = text.LastIndexOf("\\fbox", StringComparison.Ordinal);
        var start = Math.Max(boxed, fbox);
        if (start < 0) return null;
        var at = start + (start == boxed ? "\\boxed".Length : "\\fbox".Length);

        if (at < text.Length && text[at] == ' ')
        {
            var end = at + 1;
            while (end < text.Length && text[end] != '$' && !char.IsWhiteSpace(text[end])) end++;
            var bare = text[(at + 1)..end];
            return bare.Length == 0 ? null : bare;
        }

        if (at >= text.Length || text[at] != '{') return null;
        var depth = 0;
        for (var i = at; i < text.Length; i++)
        {
            if (text[i] == '{') depth++;
            else if (text[i] == '}' && --depth == 0) return i == at + 1 ? null : text[(at + 1)..i];
        }

        return null;
    }
}
