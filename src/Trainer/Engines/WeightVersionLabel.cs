using System.Globalization;

namespace RlTrainer.Trainer.Engines;

/// <summary>
/// The policy version as engines carry it: a folder named step-NNNNNN under the sync folder, and the label "NNNNNN"
/// (SGLang's weight_version is a free string).
/// </summary>
public static class WeightVersionLabel
{
    public static string FolderName(int version) => "step-" + version.ToString("D6", CultureInfo.InvariantCulture);

    public static string Label(int version) => version.ToString(CultureInfo.InvariantCulture);

    /// <summary>Reads "12", "000012" or "step-000012"; null for anything else (an engine's own label such as "default").</summary>
    public static int? Parse(string? label)
    {
        if (string.IsNullOrEmpty(label)) return null;
        var s = label.StartsWith("step-", StringComparison.Ordinal) ? label[5..] : label;
        return int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : null;
    }
}
