using System.Numerics;

namespace RlTrainer.Rewards.Verifiers;

/// <summary>
/// A number met while evaluating an answer: exact (<see cref="BigRational"/>) as long as every step is rational,
/// approximate (double) after an irrational step (√2, π, sin), or undefined (0/0, √−1, overflow).
/// </summary>
internal readonly struct Scalar
{
    /// <summary>Exact values past this many bits go approximate: keeps "10^{10^{6}}" from eating the time budget.</summary>
    public const long MaxExactBits = 16_384;

    private readonly BigRational _exact;
    private readonly double _approx;

    private Scalar(bool isExact, BigRational exact, double approx)
    {
        IsExact = isExact;
        _exact = exact;
        _approx = approx;
    }

    public static readonly Scalar Undefined = new(false, BigRational.Zero, double.NaN);

    public bool IsExact { get; }
    public bool IsUndefined => !IsExact && double.IsNaN(_approx);
    public bool IsInfinite => !IsExact && double.IsInfinity(_approx);
    public BigRational Exact => IsExact ? _exact : throw new InvalidOperationException("not exact");
    public double Value => IsExact ? _exact.ToDouble() : _approx;

    public static Scalar Of(BigRational value) =>
        value.BitLength > MaxExactBits ? new Scalar(false, BigRational.Zero, value.ToDouble()) : new Scalar(true, value, 0);

    public static Scalar Of(double value) => new(false, BigRational.Zero, value);

    public static Scalar Of(long value) => Of(BigRational.FromInteger(value));

    public static Scalar operator +(Scalar a, Scalar b) =>
        a.IsExact && b.IsExact ? Of(a._exact + b._exact) : Of(a.Value + b.Value);

    public static Scalar operator -(Scalar a, Scalar b) =>
        a.IsExact && b.IsExact ? Of(a._exact - b._exact) : Of(a.Value - b.Value);

    public static Scalar operator *(Scalar a, Scalar b) =>
        a.IsExact && b.IsExact ? Of(a._exact * b._exact) : Of(a.Value * b.Value);

    public static Scalar operator -(Scalar a) => a.IsExact ? Of(-a._exact) : Of(-a._approx);

    public static Scalar operator /(Scalar a, Scalar b)
    {
        if (b.IsExact && b._exact.IsZero) return Undefined; // no signed infinities from x/0
        if (a.IsExact && b.IsExact) return Of(a._exact / b._exact);
        var d = b.Value;
        return d == 0 ? Undefined : Of(a.Value / d);
    }

    /// <summary>a^b: exact for rational a and small integer b, exact roots when they exist, else double.</summary>
    public static Scalar Pow(Scalar a, Scalar b)
    {
        if (a.IsUndefined || b.IsUndefined) return Undefined;
        if (a.IsExact && b.IsExact)
        {
            var e = b._exact;
            if (e.IsInteger && BigInteger.Abs(e.Numerator) <= 100_000)
            {
                var n = (int)e.Numerator;
                if (a._exact.IsZero) return n < 0 ? Undefined : n == 0 ? Of(BigRational.One) : Of(BigRational.Zero);
                if (Math.Max(1, a._exact.BitLength) * (long)Math.Abs(n) <= MaxExactBits) return Of(BigRational.Pow(a._exact, n));
                return Of(Math.Pow(a.Value, n));
            }
            if (!e.IsInteger && e.Denominator <= 64 && BigInteger.Abs(e.Numerator) <= 10_000
                && a._exact.TryRoot((int)e.Denominator, out var root))
                return Pow(Of(root), Of(BigRational.FromInteger(e.Numerator)));
            if (!e.IsInteger && a._exact.Sign < 0)
            {
                // Odd denominators keep a real value: (−8)^(1/3) = −2 even when no exact root exists.
                if (e.Denominator.IsEven) return Undefined;
                var magnitude = Math.Pow(-a.Value, e.ToDouble());
                return Of(e.Numerator.IsEven ? magnitude : -magnitude);
            }
        }
        var result = Math.Pow(a.Value, b.Value);
        return double.IsNaN(result) ? Undefined : Of(result);
    }

    public static Scalar Sqrt(Scalar a) => Root(a, 2);

    public static Scalar Root(Scalar a, int k)
    {
        if (a.IsUndefined || k < 2) return Undefined;
        if (a.IsExact && a._exact.TryRoot(k, out var root)) return Of(root);
        var v = a.Value;
        if (v < 0) return k % 2 == 1 ? Of(-Math.Pow(-v, 1.0 / k)) : Undefined;
        return Of(k == 2 ? Math.Sqrt(v) : Math.Pow(v, 1.0 / k));
    }

    /// <summary>Wraps a double-valued function, turning NaN into undefined.</summary>
    public static Scalar Apply(Func<double, double> f, Scalar a)
    {
        if (a.IsUndefined) return Undefined;
        var y = f(a.Value);
        return double.IsNaN(y) ? Undefined : Of(y);
    }

    public override string ToString() => IsExact ? _exact.ToString() : _approx.ToString("R");
}
