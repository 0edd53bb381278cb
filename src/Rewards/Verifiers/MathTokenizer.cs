namespace RlTrainer.Rewards.Verifiers;

internal enum TokenKind { End, Number, Word, Command, Punct }

/// <summary>One token: a number, a run of letters, a <c>\command</c> or punctuation (multi-character ones included).</summary>
internal readonly record struct MathToken(
    TokenKind Kind, string Text, int Start, int End, bool SpaceBefore, BigRational Value = default, int FractionDigits = 0)
{
    public bool Is(string punct) => Kind == TokenKind.Punct && Text == punct;
    public bool IsCommand(string name) => Kind == TokenKind.Command && Text == name;
}

/// <summary>
/// Lazy tokenizer over a normalized answer. Lazy because TeX arguments are single characters when unbraced:
/// <c>\frac12</c> is ½, so the parser must be able to take one raw character instead of the number token "12".
/// Thousands separators ("7,425,000") are read only outside brackets, where "(1,234)" is a pair, not a number.
/// </summary>
internal sealed class MathTokenizer
{
    private readonly string _s;
    private MathToken? _peeked;
    private int _depth;

    public MathTokenizer(string text) => _s = text;

    public int Position { get; private set; }
    public string Text => _s;

    public MathToken Peek() => _peeked ??= Read(Position);

    public MathToken Next()
    {
        var t = Peek();
        Position = t.End;
        _peeked = null;
        if (t.Kind == TokenKind.Punct)
        {
            if (t.Text is "(" or "[" or "{" or "\\{") _depth++;
            else if (t.Text is ")" or "]" or "}" or "\\}") _depth = Math.Max(0, _depth - 1);
        }
        return t;
    }

    /// <summary>The next non-space raw character, or '\0' at the end.</summary>
    public char PeekChar()
    {
        var i = SkipSpaces(Position);
        return i < _s.Length ? _s[i] : '\0';
    }

    /// <summary>Consumes one raw character (an unbraced TeX argument) and returns it.</summary>
    public char NextChar()
    {
        var i = SkipSpaces(Position);
        if (i >= _s.Length) return '\0';
        Position = i + 1;
        _peeked = null;
        return _s[i];
    }

    /// <summary>Consumes a braced group and returns its raw text ("" when no group starts here).</summary>
    public string? NextRawGroup()
    {
        var i = SkipSpaces(Position);
        if (i >= _s.Length || _s[i] != '{') return null;
        var close = BraceScanner.FindClosingBrace(_s, i);
        if (close < 0) return null;
        Position = close + 1;
        _peeked = null;
        return _s[(i + 1)..close];
    }

    /// <summary>Consumes a run of letters and digits right here (an unbraced subscript such as "x_12").</summary>
    public string NextRawAlphanumericRun()
    {
        var i = Position;
        while (i < _s.Length && char.IsAsciiLetterOrDigit(_s[i])) i++;
        var run = _s[Position..i];
        Position = i;
        _peeked = null;
        return run;
    }

    private int SkipSpaces(int i)
    {
        while (i < _s.Length && char.IsWhiteSpace(_s[i])) i++;
        return i;
    }

    private MathToken Read(int position)
    {
        var i = SkipSpaces(position);
        var space = i > position;
        if (i >= _s.Length) return new MathToken(TokenKind.End, "", i, i, space);
        var c = _s[i];
        if (char.IsAsciiDigit(c) || (c == '.' && i + 1 < _s.Length && char.IsAsciiDigit(_s[i + 1]))) return ReadNumber(i, space);
        if (char.IsAsciiLetter(c))
        {
            var j = i;
            while (j < _s.Length && char.IsAsciiLetter(_s[j])) j++;
            return new MathToken(TokenKind.Word, _s[i..j], i, j, space);
        }
        if (c == '\\') return ReadBackslash(i, space);
        foreach (var op in MultiCharPunct)
        {
            if (string.CompareOrdinal(_s, i, op.Text, 0, op.Text.Length) == 0)
                return new MathToken(TokenKind.Punct, op.Token, i, i + op.Text.Length, space);
        }
        return new MathToken(TokenKind.Punct, c.ToString(), i, i + 1, space);
    }

    private static readonly (string Text, string Token)[] MultiCharPunct =
    {
        ("...", "..."), ("…", "..."), ("<=", "\\le"), (">=", "\\ge"), ("=<", "\\le"), ("=>", "\\ge"), ("!=", "\\ne"),
        ("==", "="), ("**", "^"),
    };

    private MathToken ReadBackslash(int i, bool space)
    {
        if (i + 1 >= _s.Length) return new MathToken(TokenKind.Punct, "\\", i, i + 1, space);
        var c = _s[i + 1];
        if (char.IsAsciiLetter(c))
        {
            var j = i + 1;
            while (j < _s.Length && char.IsAsciiLetter(_s[j])) j++;
            return new MathToken(TokenKind.Command, _s[(i + 1)..j], i, j, space);
        }
        var text = c switch
        {
            '{' => "\\{",
            '}' => "\\}",
            '\\' => "\\\\",
            '%' => "\\%",
            '|' => "|",
            _ => c.ToString(),
        };
        return new MathToken(TokenKind.Punct, text, i, i + 2, space);
    }

    private MathToken ReadNumber(int start, bool space)
    {
        var i = start;
        while (i < _s.Length && char.IsAsciiDigit(_s[i])) i++;
        var digits = new System.Text.StringBuilder(_s, start, i - start, 32);
        if (_depth == 0 && i - start <= 3 && _s[start] != '0')
        {
            // "7,425,000": comma groups of exactly three digits, not followed by a fourth digit.
            while (i + 3 < _s.Length && _s[i] == ','
                   && char.IsAsciiDigit(_s[i + 1]) && char.IsAsciiDigit(_s[i + 2]) && char.IsAsciiDigit(_s[i + 3])
                   && (i + 4 >= _s.Length || !char.IsAsciiDigit(_s[i + 4])))
            {
                digits.Append(_s, i + 1, 3);
                i += 4;
            }
        }
        if (i + 1 < _s.Length && _s[i] == '.' && char.IsAsciiDigit(_s[i + 1]))
        {
            digits.Append('.');
            i++;
            while (i < _s.Length && char.IsAsciiDigit(_s[i])) digits.Append(_s[i++]);
        }
        if (i + 1 < _s.Length && _s[i] is 'e' or 'E')
        {
            var j = i + 1;
            if (_s[j] is '+' or '-') j++;
            if (j < _s.Length && char.IsAsciiDigit(_s[j]))
            {
                var k = j;
                while (k < _s.Length && char.IsAsciiDigit(_s[k])) k++;
                // "2e3" is scientific; "2ex" stays 2·e·x.
                if (k >= _s.Length || !char.IsAsciiLetter(_s[k]))
                {
                    digits.Append(_s, i, k - i);
                    i = k;
                }
            }
        }
        var text = digits.ToString();
        if (!BigRational.TryParseDecimal(text, out var value, out var fractionDigits))
            return new MathToken(TokenKind.Punct, _s[start].ToString(), start, start + 1, space);
        return new MathToken(TokenKind.Number, text, start, i, space, value, fractionDigits);
    }
}
