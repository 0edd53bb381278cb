namespace RlTrainer.Rewards.Verifiers;

/// <summary>Brace matching shared by extraction and normalization; escaped braces (<c>\{</c>, <c>\}</c>) do not count.</summary>
internal static class BraceScanner
{
    /// <summary>Index of the '}' closing the '{' at <paramref name="open"/>, or -1 when the group never closes.</summary>
    public static int FindClosingBrace(string s, int open)
    {
        var depth = 0;
        for (var i = open; i < s.Length; i++)
        {
            var c = s[i];
            if (c == '\\') { i++; continue; } // skips \{ \} and the first letter of any command
            if (c == '{') depth++;
            else if (c == '}' && --depth == 0) return i;
        }
        return -1;
    }
}
