using System.Globalization;

namespace RlTrainer.Trainer.Reporting;

/// <summary>How numbers read in report tables: percentages as "41.5%", durations as "1h 02m 03s".</summary>
public static class ReportFormat
{
    /// <summary>A fraction as a percentage with one decimal: 0.415 → "41.5%".</summary>
    public static string Percent(double fraction) => (100 * fraction).ToString("0.0", CultureInfo.InvariantCulture) + "%";

    /// <summary>Seconds as "1h 02m 03s", "2m 05s" or "12.3s".</summary>
    public static string Duration(double seconds)
    {
        var t = TimeSpan.FromSeconds(seconds);
        if (t.TotalHours >= 1) return $"{(int)t.TotalHours}h {t.Minutes:00}m {t.Seconds:00}s";
        if (t.TotalMinutes >= 1) return $"{t.Minutes}m {t.Seconds:00}s";
        return seconds.ToString("0.0", CultureInfo.InvariantCulture) + "s";
    }
}
