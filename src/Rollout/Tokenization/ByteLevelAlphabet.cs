namespace RlTrainer.Rollout.Tokenization;

/// <summary>
/// GPT-2's reversible byte-to-character table used by byte-level BPE: each of the 256 byte values gets a printable
/// character, so that every byte sequence is a string of "visible" symbols (space becomes 'Ġ', newline 'Ċ').
/// </summary>
internal static class ByteLevelAlphabet
{
    /// <summary>Character standing for each byte value (index = byte).</summary>
    public static readonly char[] ByteToChar = BuildTable();

    private static readonly Dictionary<char, byte> CharToByte =
        Enumerable.Range(0, 256).ToDictionary(b => ByteToChar[b], b => (byte)b);

    // Printable Latin-1 bytes keep their own code point; the other 68 bytes (controls, space, DEL, NBSP, soft hyphen)
    // are moved to 256, 257, ... in byte order. This is the published GPT-2 mapping every byte-level file relies on.
    private static char[] BuildTable()
    {
        var table = new char[256];
        var next = 256;
        for (var b = 0; b < 256; b++)
        {
            var printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            table[b] = printable ? (char)b : (char)next++;
        }
        return table;
    }

    /// <summary>The byte-level string of some UTF-8 bytes.</summary>
    public static string Encode(ReadOnlySpan<byte> bytes)
    {
        return string.Create(bytes.Length, bytes.ToArray(), static (chars, source) =>
        {
            for (var i = 0; i < source.Length; i++) chars[i] = ByteToChar[source[i]];
        });
    }

    /// <summary>
    /// The bytes a vocabulary token stands for. A character outside the table (only possible in a hand-edited
    /// vocabulary) is kept as its own UTF-8 bytes rather than dropped.
    /// </summary>
    public static byte[] Decode(string token)
    {
        var bytes = new List<byte>(token.Length);
        Span<byte> utf8 = stackalloc byte[4];
        foreach (var rune in token.EnumerateRunes())
        {
            if (rune.IsBmp && CharToByte.TryGetValue((char)rune.Value, out var b))
            {
                bytes.Add(b);
                continue;
            }
            var n = rune.EncodeToUtf8(utf8);
            for (var i = 0; i < n; i++) bytes.Add(utf8[i]);
        }
        return bytes.ToArray();
    }
}
