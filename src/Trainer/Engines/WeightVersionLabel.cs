using System.Globalization;

namespace RlTrainer.Trainer.Engines;

/// <summary>
/// The policy version as engines carry it: a folder named step-NNNNNN under the sync folder, the label "NNNNNN"
/// (SGLang's weight_version is a free string), and the name rltrainer-step-NNNNNN of a synced LoRA adapter.
/// </summary>
public static class WeightVersionLabel
{
    public static string FolderName(int version) => "step-" + version.ToString("D6", CultureInfo.InvariantCulture);

    /// <summary>The name a LoRA adapter of this version is loaded under (vLLM's model name, SGLang's lora_path).</summary>
    public static string AdapterName(int version) => "rltrainer-" + FolderName(version);

    public static string Label(int version) => version.ToString(CultureInfo.InvariantCulture);

    /// <summary>Reads "12", "000012" or "step-000012"; null for anything else (an engine's own label such as "default").</summary>
    public static int? Parse(string? label)
    {
        if (string.IsNullOrEmpty(label)) return null;
        var s = label.StartsWith("step-", StringComparison.Ordinal) ? label[5..] : label;
        return int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : null;
    }
}
