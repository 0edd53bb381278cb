using System.Globalization;
using System.Numerics;

namespace RlTrainer.Rewards.Verifiers;

/// <summary>
/// Exact rational number p/q over <see cref="BigInteger"/>, always reduced with q &gt; 0. The verifier evaluates
/// answers with it so that "0.5", "1/2" and "\frac{2}{4}" compare equal exactly, with no float rounding.
/// </summary>
internal readonly struct BigRational : IEquatable<BigRational>, IComparable<BigRational>
{
    public static readonly BigRational Zero = new(BigInteger.Zero, BigInteger.One, reduced: true);
    public static readonly BigRational One = new(BigInteger.One, BigInteger.One, reduced: true);

    private readonly BigInteger _denominator; // zero only in default(BigRational), read as 1

    public BigInteger Numerator { get; }
    public BigInteger Denominator => _denominator.IsZero ? BigInteger.One : _denominator;

    private BigRational(BigInteger numerator, BigInteger denominator, bool reduced)
    {
        Numerator = numerator;
        _denominator = denominator;
        _ = reduced;
    }

    /// <summary>numerator / denominator, reduced; throws <see cref="DivideByZeroException"/> when denominator is 0.</summary>
    public static BigRational Create(BigInteger numerator, BigInteger denominator)
    {
        if (denominator.IsZero) throw new DivideByZeroException();
        if (denominator.Sign < 0) { numerator = -numerator; denominator = -denominator; }
        var gcd = BigInteger.GreatestCommonDivisor(numerator, denominator);
        if (!gcd.IsOne && !gcd.IsZero) { numerator /= gcd; denominator /= gcd; }
        return new BigRational(numerator, denominator, reduced: true);
    }

    public static BigRational FromInteger(BigInteger value) => new(value, BigInteger.One, reduced: true);

    public bool IsZero => Numerator.IsZero;
    public bool IsInteger => Denominator.IsOne;
    public int Sign => Numerator.Sign;

    /// <summary>Bits of numerator plus denominator: the cost measure used to refuse exact work that would explode.</summary>
    public long BitLength => Numerator.GetBitLength() + Denominator.GetBitLength();

    public static BigRational operator +(BigRational a, BigRational b) =>
        Create(a.Numerator * b.Denominator + b.Numerator * a.Denominator, a.Denominator * b.Denominator);

    public static BigRational operator -(BigRational a, BigRational b) =>
        Create(a.Numerator * b.Denominator - b.Numerator * a.Denominator, a.Denominator * b.Denominator);

    public static BigRational operator *(BigRational a, BigRational b) =>
        Create(a.Numerator * b.Numerator, a.Denominator * b.Denominator);

    public static BigRational operator /(BigRational a, BigRational b) =>
        Create(a.Numerator * b.Denominator, a.Denominator * b.Numerator);

    public static BigRational operator -(BigRational a) => new(-a.Numerator, a.Denominator, reduced: true);

    public static bool operator ==(BigRational a, BigRational b) => a.Equals(b);
    public static bool operator !=(BigRational a, BigRational b) => !a.Equals(b);

    /// <summary>a^n for an integer n; n &lt; 0 inverts (throws on 0^negative).</summary>
    public static BigRational Pow(BigRational a, int n)
    {
        if (n >= 0) return Create(BigInteger.Pow(a.Numerator, n), BigInteger.Pow(a.Denominator, n));
        return Create(BigInteger.Pow(a.Denominator, -n), BigInteger.Pow(a.Numerator, -n));
    }

    /// <summary>The exact square root when numerator and denominator are both perfect squares.</summary>
    public bool TrySqrt(out BigRational root)
    {
        root = Zero;
        if (Numerator.Sign < 0) return false;
        if (!TryIntegerRoot(Numerator, 2, out var n) || !TryIntegerRoot(Denominator, 2, out var d)) return false;
        root = Create(n, d);
        return true;
    }

    /// <summary>The exact k-th root (k ≥ 2) when it is rational; odd roots of negatives allowed.</summary>
    public bool TryRoot(int k, out BigRational root)
    {
        root = Zero;
        if (k < 2) return false;
        var negative = Numerator.Sign < 0;
        if (negative && k % 2 == 0) return false;
        if (!TryIntegerRoot(BigInteger.Abs(Numerator), k, out var n) || !TryIntegerRoot(Denominator, k, out var d))
            return false;
        root = Create(negative ? -n : n, d);
        return true;
    }

    private static bool TryIntegerRoot(BigInteger value, int k, out BigInteger root)
    {
        root = BigInteger.Zero;
        if (value.Sign < 0) return false;
        if (value.IsZero || value.IsOne) { root = value; return true; }
        // Newton's method from an upper bound 2^ceil(bits/k); monotone decreasing to floor(value^(1/k)).
        var x = BigInteger.One << (int)((value.GetBitLength() + k - 1) / k);
        while (true)
        {
            var y = ((k - 1) * x + value / BigInteger.Pow(x, k - 1)) / k;
            if (y >= x) break;
            x = y;
        }
        root = x;
        return BigInteger.Pow(x, k) == value;
    }

    public double ToDouble()
    {
        var n = Numerator;
        var d = Denominator;
        if (n.IsZero) return 0.0;
        long nb = n.GetBitLength(), db = d.GetBitLength();
        if (nb < 1000 && db < 1000) return (double)n / (double)d;
        // Scale to a quotient of ~64 significant bits, then put the binary exponent back.
        var shift = (int)Math.Clamp(nb - db - 64, int.MinValue / 2, int.MaxValue / 2);
        var q = shift >= 0 ? n / (d << shift) : (n << -shift) / d;
        return Math.ScaleB((double)q, shift);
    }

    /// <summary>The exact value of a finite double (every double is a dyadic rational).</summary>
    public static BigRational FromDouble(double value)
    {
        if (!double.IsFinite(value)) throw new ArgumentOutOfRangeException(nameof(value));
        if (value == 0) return Zero;
        var bits = BitConverter.DoubleToInt64Bits(value);
        var negative = bits < 0;
        var exponent = (int)((bits >> 52) & 0x7FF);
        var mantissa = bits & 0xFFFFFFFFFFFFFL;
        if (exponent == 0) exponent++; else mantissa |= 1L << 52;
        exponent -= 1075;
        BigInteger num = mantissa;
        var result = exponent >= 0 ? FromInteger(num << exponent) : Create(num, BigInteger.One << -exponent);
        return negative ? -result : result;
    }

    /// <summary>round(value · 10^places), halves away from zero: decimal rounding done exactly.</summary>
    public BigInteger ScaledRound(int places)
    {
        var scaled = Numerator * BigInteger.Pow(10, places);
        var q = BigInteger.DivRem(BigInteger.Abs(scaled), Denominator, out var r);
        if (r * 2 >= Denominator) q += 1;
        return scaled.Sign < 0 ? -q : q;
    }

    /// <summary>
    /// Parses an unsigned decimal literal: digits with an optional fraction ("12", "12.50", ".4") and an optional
    /// exponent ("1.5e3", "2E-4"). Returns the number of written fraction digits (0 for integers).
    /// </summary>
    public static bool TryParseDecimal(ReadOnlySpan<char> text, out BigRational value, out int fractionDigits)
    {
        value = Zero;
        fractionDigits = 0;
        var i = 0;
        var mantissa = BigInteger.Zero;
        var digits = 0;
        while (i < text.Length && char.IsAsciiDigit(text[i])) { mantissa = mantissa * 10 + (text[i] - '0'); i++; digits++; }
        if (i < text.Length && text[i] == '.')
        {
            i++;
            while (i < text.Length && char.IsAsciiDigit(text[i]))
            {
                mantissa = mantissa * 10 + (text[i] - '0'); i++; digits++; fractionDigits++;
            }
        }
        if (digits == 0) return false;
        var exponent = 0;
        if (i < text.Length && (text[i] == 'e' || text[i] == 'E'))
        {
            if (!int.TryParse(text[(i + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out exponent)
                || Math.Abs(exponent) > 4000)
                return false;
            i = text.Length;
        }
        if (i != text.Length) return false;
        var scale = exponent - fractionDigits;
        value = scale >= 0
            ? FromInteger(mantissa * BigInteger.Pow(10, scale))
            : Create(mantissa, BigInteger.Pow(10, -scale));
        return true;
    }

    public int CompareTo(BigRational other) =>
        (Numerator * other.Denominator).CompareTo(other.Numerator * Denominator);

    public bool Equals(BigRational other) => Numerator == other.Numerator && Denominator == other.Denominator;
    public override bool Equals(object? obj) => obj is BigRational other && Equals(other);
    public override int GetHashCode() => HashCode.Combine(Numerator, Denominator);

    public override string ToString() =>
        IsInteger ? Numerator.ToString(CultureInfo.InvariantCulture)
                  : $"{Numerator.ToString(CultureInfo.InvariantCulture)}/{Denominator.ToString(CultureInfo.InvariantCulture)}";
}
