using System.Text;

namespace RlTrainer.Rollout.Tokenization;

/// <summary>
/// Decodes ids one at a time into a growing text, for a sampler that checks stop strings after every step.
/// A byte-level token can end in the middle of a UTF-8 character (one emoji is often 2-4 tokens); those bytes are
/// held back until the character is complete, so <see cref="Text"/> never contains a half character and always
/// equals <see cref="HfTokenizer.Decode"/> of the ids appended so far, minus any incomplete tail.
/// </summary>
public sealed class IncrementalDecoder
{
    private readonly HfTokenizer _tokenizer;
    private readonly bool _skipSpecialTokens;
    private readonly Decoder _utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false).GetDecoder();
    private readonly StringBuilder _text = new();
    private char[] _buffer = new char[64];

    internal IncrementalDecoder(HfTokenizer tokenizer, bool skipSpecialTokens)
    {
        _tokenizer = tokenizer;
        _skipSpecialTokens = skipSpecialTokens;
    }

    /// <summary>Everything decoded so far.</summary>
    public string Text => _text.ToString();

    /// <summary>Length of <see cref="Text"/> in UTF-16 units, without building the string.</summary>
    public int Length => _text.Length;

    /// <summary>Adds one id and returns the text it completed (empty while a character is still partial).</summary>
    public string Append(int id)
    {
        if (_skipSpecialTokens && _tokenizer.IsSpecial(id)) return "";
        var bytes = _tokenizer.TokenBytes(id);
        var needed = _utf8.GetCharCount(bytes, flush: false);
        if (needed > _buffer.Length) _buffer = new char[Math.Max(needed, _buffer.Length * 2)];
        var written = _utf8.GetChars(bytes, 0, bytes.Length, _buffer, 0, flush: false);
        var added = new string(_buffer, 0, written);
        _text.Append(added);
        return added;
    }

    /// <summary>Ends the stream: bytes of a character that never completed become U+FFFD, as Decode does.</summary>
    public string Flush()
    {
        var written = _utf8.GetChars(Array.Empty<byte>(), 0, 0, _buffer, 0, flush: true);
        var added = new string(_buffer, 0, written);
        _text.Append(added);
        return added;
    }
}
