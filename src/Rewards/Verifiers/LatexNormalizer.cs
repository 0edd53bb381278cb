using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace RlTrainer.Rewards.Verifiers;

/// <summary>
/// String-level clean-up of one extracted answer before it is parsed: drops presentation (math delimiters,
/// <c>\left</c>/<c>\right</c>, spacing commands, <c>\dfrac</c>, units in <c>\text{}</c>, degree signs, currency,
/// LaTeX thousands marks, trailing sentence punctuation) and rewrites a few plain-text forms (mixed numbers,
/// "1 000", "and"/"or" between answers) so that the parser only sees mathematics.
/// </summary>
internal static partial class LatexNormalizer
{
    /// <summary>Longest answer (characters) that is normalized and parsed; real answers are far shorter.</summary>
    public const int MaxAnswerLength = 1000;

    private static readonly string[] TextCommands =
    {
        "text", "textbf", "textit", "textrm", "textsf", "texttt", "textnormal", "textup", "mbox", "hbox",
        "mathrm", "mathbf", "mathit", "mathsf", "mathtt", "mathnormal", "boldsymbol", "bm", "operatorname",
        "boxed", "fbox", "emph",
    };

    // Whole-word units that may follow a number without a space; spaced trailing words are dropped regardless.
    private static readonly HashSet<string> UnitWords = new(StringComparer.OrdinalIgnoreCase)
    {
        "cm", "mm", "km", "m", "meter", "meters", "metre", "metres", "inch", "inches", "ft", "feet", "foot",
        "yd", "yard", "yards", "mile", "miles", "mph", "kph", "kmh", "s", "sec", "secs", "second", "seconds",
        "min", "mins", "minute", "minutes", "h", "hr", "hrs", "hour", "hours", "day", "days", "week", "weeks",
        "month", "months", "year", "years", "kg", "g", "mg", "gram", "grams", "lb", "lbs", "pound", "pounds",
        "oz", "ounce", "ounces", "l", "ml", "liter", "liters", "litre", "litres", "gallon", "gallons",
        "dollar", "dollars", "cent", "cents", "degree", "degrees", "unit", "units", "sq", "square", "cubic",
    };

    // Words that are mathematics, never units: kept when they trail a number.
    private static readonly HashSet<string> MathWords = new(StringComparer.OrdinalIgnoreCase)
    {
        "pi", "inf", "infty", "infinity", "sqrt", "sin", "cos", "tan", "log", "ln", "exp", "and", "or", "i", "e",
    };

    /// <summary>True for a unit word that may follow a number ("cm", "dollars").</summary>
    public static bool IsUnitWord(string word) => UnitWords.Contains(word);

    /// <summary>True for words that do not make an answer a sentence: units and mathematical names.</summary>
    public static bool IsMathOrUnitWord(string word) => UnitWords.Contains(word) || MathWords.Contains(word);

    /// <summary>
    /// Normalizes <paramref name="answer"/>; returns "" for an answer with no content and for one longer than
    /// <see cref="MaxAnswerLength"/> (cutting it instead could make two different long answers look equal).
    /// </summary>
    public static string Normalize(string answer)
    {
        if (answer.Length > MaxAnswerLength) return "";
        var s = ReplaceUnicode(answer.Trim());
        if (!s.Contains("\\begin", StringComparison.Ordinal)) s = DoubleBackslashCommand().Replace(s, "\\$1");
        s = RemoveSizing(s);
        s = s.Replace("\\dfrac", "\\frac").Replace("\\tfrac", "\\frac").Replace("\\cfrac", "\\frac")
             .Replace("\\dbinom", "\\binom").Replace("\\tbinom", "\\binom");
        s = LatexThousands().Replace(s, "");
        s = s.Replace("\\!", "").Replace("\\displaystyle", "").Replace("\\textstyle", "");
        s = SpacingCommand().Replace(s, " ").Replace('~', ' ');
        s = s.Replace("\\$", "").Replace("$", "").Replace("\\(", "").Replace("\\)", "")
             .Replace("\\[", "").Replace("\\]", "").Replace("€", "").Replace("£", "").Replace("¥", "");
        s = Degrees().Replace(s, "");
        s = StripTrailingUnitsInText(s);
        s = UnwrapTextCommands(s);
        s = PercentWord().Replace(s, "%");
        s = AndOr().Replace(s, ",");
        s = Whitespace().Replace(s, " ").Trim();
        for (var pass = 0; pass < 3; pass++)
        {
            var before = s;
            s = TrimPunctuation(s);
            s = StripTrailingWords(s);
            if (s == before) break;
        }
        s = SpacedThousands(s);
        s = MixedNumber(s);
        return s;
    }

    private static string ReplaceUnicode(string s)
    {
        if (!s.Any(c => c > 127)) return s;
        var b = new StringBuilder(s.Length + 8);
        foreach (var c in s)
        {
            b.Append(c switch
            {
                '−' or '–' or '—' => "-",
                '×' => "\\times ",
                '÷' => "\\div ",
                '·' or '⋅' => "\\cdot ",
                'π' => "\\pi ",
                '√' => "\\sqrt",
                '∞' => "\\infty ",
                '≤' => "\\le ",
                '≥' => "\\ge ",
                '≠' => "\\ne ",
                '≈' => "\\approx ",
                '±' => "\\pm ",
                '∪' => "\\cup ",
                '∈' => "\\in ",
                '∅' => "\\emptyset ",
                '°' => "^\\circ",
                '²' => "^2",
                '³' => "^3",
                '\u00A0' or '\u2009' or '\u202F' => " ",
                _ => c.ToString(),
            });
        }
        return b.ToString();
    }

    private static string RemoveSizing(string s)
    {
        if (!s.Contains('\\')) return s;
        s = s.Replace("\\left.", "").Replace("\\right.", "");
        return Sizing().Replace(s, "");
    }

    // "15\text{ cm}^2", "125\textnormal{ miles}": a text group that follows a number at the very end is a unit.
    private static string StripTrailingUnitsInText(string s)
    {
        for (var guard = 0; guard < 4; guard++)
        {
            var m = TrailingTextUnit().Match(s);
            if (!m.Success || m.Index == 0) return s;
            var head = s[..m.Index].TrimEnd();
            if (head.Length == 0 || !(char.IsAsciiDigit(head[^1]) || head[^1] is '}' or '%' or ')')) return s;
            s = head;
        }
        return s;
    }

    /// <summary>Replaces <c>\text{x}</c>-like commands (and <c>\boxed{x}</c>) by their content.</summary>
    private static string UnwrapTextCommands(string s)
    {
        if (!s.Contains('\\')) return s;
        var b = new StringBuilder(s.Length);
        var i = 0;
        while (i < s.Length)
        {
            if (s[i] == '\\' && TryMatchTextCommand(s, i, out var contentStart, out var contentEnd))
            {
                b.Append(UnwrapTextCommands(s[contentStart..contentEnd]));
                i = contentEnd + 1;
                continue;
            }
            b.Append(s[i]);
            i++;
        }
        return b.ToString();
    }

    private static bool TryMatchTextCommand(string s, int backslash, out int contentStart, out int contentEnd)
    {
        contentStart = contentEnd = -1;
        var nameEnd = backslash + 1;
        while (nameEnd < s.Length && char.IsAsciiLetter(s[nameEnd])) nameEnd++;
        var name = s.AsSpan(backslash + 1, nameEnd - backslash - 1);
        var known = false;
        foreach (var t in TextCommands) if (name.SequenceEqual(t)) { known = true; break; }
        if (!known) return false;
        var open = nameEnd;
        while (open < s.Length && s[open] == ' ') open++;
        if (open >= s.Length || s[open] != '{') return false;
        var close = BraceScanner.FindClosingBrace(s, open);
        if (close < 0) return false;
        contentStart = open + 1;
        contentEnd = close;
        return true;
    }

    private static string TrimPunctuation(string s)
    {
        s = s.Trim();
        while (s.Length > 0 && s[^1] is '.' or ',' or ';' or ':' or '*' or '"' or '\'' or '`')
        {
            if (s.EndsWith("...", StringComparison.Ordinal)) break;
            s = s[..^1].TrimEnd();
        }
        while (s.Length > 0 && s[0] is ':' or '*' or '"' or '\'' or '`') s = s[1..].TrimStart();
        return s;
    }

    // "72 dollars", "5 cm", "10 square units", "1,000.99m^2": trailing words after a number are units.
    // Scanned by hand from the end: a regex with nested repeats here would backtrack exponentially.
    private static string StripTrailingWords(string s)
    {
        var end = s.Length;
        var cut = -1;
        var words = new List<string>();
        while (true)
        {
            var i = end;
            if (i > 0 && s[i - 1] == '.') i--;
            if (i >= 2 && s[i - 1] is '2' or '3' && s[i - 2] == '^') i -= 2;
            else if (i >= 4 && s[i - 1] == '}' && s[i - 2] is '2' or '3' && s[i - 3] == '{' && s[i - 4] == '^') i -= 4;
            var wordEnd = i;
            while (i > 0 && char.IsAsciiLetter(s[i - 1])) i--;
            if (i == wordEnd) break;
            if (i > 0 && s[i - 1] == '\\') break;
            words.Add(s[i..wordEnd]);
            cut = i;
            while (i > 0 && s[i - 1] == ' ') i--;
            end = i;
            if (i == 0 || !char.IsAsciiLetter(s[i - 1]) && s[i - 1] != '.') break;
        }
        if (cut <= 0 || words.Count == 0) return s;
        var head = s[..cut];
        var headTrimmed = head.TrimEnd();
        if (headTrimmed.Length == 0 || !(char.IsAsciiDigit(headTrimmed[^1]) || headTrimmed[^1] == '%')) return s;
        var spaced = head[^1] == ' ';
        foreach (var word in words)
        {
            if (MathWords.Contains(word)) return s;
            // Without a space a word is a unit only if it is a known one: "5x" is a product, "5cm" a length.
            if (!spaced && !UnitWords.Contains(word)) return s;
            if (word.Length < 2 && !UnitWords.Contains(word)) return s;
        }
        return headTrimmed;
    }

    private static string SpacedThousands(string s) =>
        SpacedThousandsPattern().IsMatch(s) ? s.Replace(" ", "") : s;

    // "4 4/9" → 40/9 as in plain-text answers; an improper or zero-denominator fraction is left as written,
    // which the parser then rejects (two numbers side by side) rather than guessing a value.
    private static string MixedNumber(string s)
    {
        var m = MixedNumberPattern().Match(s);
        if (!m.Success) return s;
        var whole = System.Numerics.BigInteger.Parse(m.Groups[2].Value.Replace(" ", ""), CultureInfo.InvariantCulture);
        var num = System.Numerics.BigInteger.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture);
        var den = System.Numerics.BigInteger.Parse(m.Groups[4].Value, CultureInfo.InvariantCulture);
        if (den.IsZero || num >= den) return s;
        var total = whole * den + num;
        return $"{m.Groups[1].Value}\\frac{{{total}}}{{{den}}}{m.Groups[5].Value}";
    }

    [GeneratedRegex(@"\\\\(frac|left|right|sqrt|pi|cdot|times|infty|le|ge|leq|geq|ne|neq|text|mathrm|boxed|pm|cup|in|circ)(?![A-Za-z])")]
    private static partial Regex DoubleBackslashCommand();

    [GeneratedRegex(@"\\(left|right|bigl|bigr|Bigl|Bigr|biggl|biggr|Biggl|Biggr|big|Big|bigg|Bigg)(?![A-Za-z])")]
    private static partial Regex Sizing();

    // 10,\!000 / 14{,}916 / 14 {, }916 / 1\,000: LaTeX thousands marks between digit groups.
    [GeneratedRegex(@"(?<=\d)(?:\s*\{\s*,\s*\}|,\\!|\\,|\\!)\s?(?=\d{3}(?!\d))")]
    private static partial Regex LatexThousands();

    // "\ p" is a space before p: only the named commands need the letter check (\quadx is another command).
    [GeneratedRegex(@"(?<!\\)\\(?:[,;: ]|(?:quad|qquad|enspace|thinspace)(?![A-Za-z]))")]
    private static partial Regex SpacingCommand();

    [GeneratedRegex(@"\^\s*\{?\s*\\circ\s*\}?|\\circ|\\degree|\^\s*\{\s*\\text\{\s*o\s*\}\s*\}")]
    private static partial Regex Degrees();

    [GeneratedRegex(@"\s*\\(?:text|textnormal|textrm|textup|textbf|textit|mbox|hbox|mathrm)\s*\{\s*[A-Za-z][A-Za-z .]*\}(?:\s*\^\s*\{?[23]\}?)?\s*\.?\s*$")]
    private static partial Regex TrailingTextUnit();

    [GeneratedRegex(@"(?<![A-Za-z\\])(?:percentage|percent|pct)(?![A-Za-z])", RegexOptions.IgnoreCase)]
    private static partial Regex PercentWord();

    [GeneratedRegex(@"\s*(?<![\\A-Za-z])(?:and|or)(?![A-Za-z])\s*")]
    private static partial Regex AndOr();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    [GeneratedRegex(@"^-?[1-9]\d{0,2}(?: \d{3})+(?:\.\d+)?$")]
    private static partial Regex SpacedThousandsPattern();

    [GeneratedRegex(@"^([+-]?)(\d+|[1-9]\d{0,2}(?: \d{3})+) (\d+)/(\d+)(\s*\\?%)?$")]
    private static partial Regex MixedNumberPattern();
}
