using System.Globalization;

namespace RlTrainer.Trainer.Reporting;

/// <summary>
/// An axis range with "nice" tick marks (1, 2 or 5 times a power of ten apart), after Heckbert's "Nice numbers for
/// graph labels" (Graphics Gems, 1990). <see cref="Min"/>/<see cref="Max"/> are the drawn range and
/// <see cref="Ticks"/> the labelled values inside it.
/// </summary>
public sealed record NiceScale(double Min, double Max, double Step, IReadOnlyList<double> Ticks)
{
    /// <summary>
    /// A scale covering [lo, hi] with about <paramref name="targetTicks"/> ticks. With <paramref name="extendToTicks"/>
    /// the range grows outward to whole ticks (value axes); without it, it stays [lo, hi] and only ticks inside are kept
    /// (the step axis, which should start at the first step drawn). <paramref name="integerStep"/> keeps the step ≥ 1.
    /// </summary>
    public static NiceScale Create(double lo, double hi, int targetTicks = 5, bool extendToTicks = true, bool integerStep = false)
    {
        if (!double.IsFinite(lo) || !double.IsFinite(hi) || lo > hi)
            throw new ArgumentOutOfRangeException(nameof(lo), $"scale range [{lo}, {hi}] is not a finite, ordered interval");
        // Ranges below ~1e-9 of the values are float noise (an ESS of 0.9999999999999 and 1): treat them as constant,
        // or ticks 12 significant digits apart would collapse.
        if (hi - lo <= 1e-9 * Math.Max(Math.Abs(lo), Math.Abs(hi)))
        {
            lo = hi = (lo + hi) / 2;
            // A constant series still needs a visible band around it; 0 gets [0, 1] so rates sit on the floor.
            double pad = lo == 0 ? 1 : Math.Abs(lo) * 0.1;
            (lo, hi) = lo == 0 ? (0, 1) : (lo - pad, hi + pad);
            if (integerStep) (lo, hi) = (Math.Floor(lo), Math.Max(Math.Floor(lo) + 1, Math.Ceiling(hi)));
        }
        double range = NiceNumber(hi - lo, round: false);
        double step = NiceNumber(range / Math.Max(1, targetTicks - 1), round: true);
        if (integerStep) step = Math.Max(1, Math.Round(step));
        double first = Math.Ceiling(lo / step - 1e-9) * step;
        double last = Math.Floor(hi / step + 1e-9) * step;
        if (extendToTicks)
        {
            first = Math.Floor(lo / step + 1e-9) * step;
            last = Math.Ceiling(hi / step - 1e-9) * step;
            (lo, hi) = (Snap(first, step), Snap(last, step));
        }
        var ticks = new List<double>();
        for (long i = 0; first + i * step <= last + step * 1e-9; i++)
            ticks.Add(Snap(first + i * step, step));
        return new NiceScale(lo, hi, step, ticks);
    }

    /// <summary>The nice number near <paramref name="x"/> &gt; 0: the nearest of 1, 2, 5, 10 times 10^k
    /// (<paramref name="round"/>), or the smallest of them not below <paramref name="x"/>.</summary>
    public static double NiceNumber(double x, bool round)
    {
        double exponent = Math.Floor(Math.Log10(x));
        double fraction = x / Math.Pow(10, exponent);
        double nice = round
            ? fraction < 1.5 ? 1 : fraction < 3 ? 2 : fraction < 7 ? 5 : 10
            : fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10;
        return nice * Math.Pow(10, exponent);
    }

    /// <summary>A tick label with just the digits the step needs: 0.25 and 0.5 for a 0.25 step, 1e-05 style for very
    /// small or large values.</summary>
    public string Format(double value) => FormatTick(value, Step);

    /// <inheritdoc cref="Format"/>
    public static string FormatTick(double value, double step)
    {
        if (value == 0) return "0";
        double magnitude = Math.Abs(value);
        if (magnitude >= 1e6 || Math.Abs(step) < 1e-4)
            return value.ToString("0.##e+0", CultureInfo.InvariantCulture);
        int decimals = Math.Clamp(Decimals(step), 0, 6);
        return value.ToString("F" + decimals, CultureInfo.InvariantCulture);
    }

    /// Decimal places of a nice step: 0.25 → 2, 0.5 → 1, 20 → 0.
    private static int Decimals(double step)
    {
        for (int d = 0; d <= 6; d++)
        {
            double scaled = step * Math.Pow(10, d);
            if (Math.Abs(scaled - Math.Round(scaled)) < 1e-6 * Math.Max(1, scaled)) return d;
        }
        return 6;
    }

    /// Multiples of the step computed as i·step pick up float noise (0.30000000000000004); 12 significant digits drop it.
    private static double Snap(double value, double step)
    {
        double snapped = Math.Round(value / step) * step;
        return snapped == 0 ? 0 : double.Parse(snapped.ToString("G12", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
    }
}
