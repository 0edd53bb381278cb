using System.Text.Json;
using System.Text.Json.Nodes;

namespace RlTrainer.Rollout.Model;

/// <summary>
/// adapter_config.json → <see cref="LoraConfig"/>. Only what our adapters compute is accepted: PEFT options that
/// change the math (bias terms, DoRA, rsLoRA scaling, per-module ranks, extra trained modules) are refused by name
/// rather than silently ignored, since ignoring them would load an adapter whose outputs differ from PEFT's.
/// </summary>
internal static class PeftConfigReader
{
    public static LoraConfig Read(JsonObject root, string path)
    {
        string peftType = String(root, "peft_type", path) ?? throw Missing(path, "peft_type");
        if (peftType != "LORA")
            throw new InvalidDataException($"{path}: peft_type is '{peftType}'; only LORA adapters are supported.");
        if (String(root, "task_type", path) is { } task && task != "CAUSAL_LM")
            throw new InvalidDataException($"{path}: task_type is '{task}'; only CAUSAL_LM adapters fit a causal LM.");
        RefuseUnsupported(root, path);

        var config = new LoraConfig
        {
            Rank = Integer(root, "r", path),
            Alpha = Number(root, "lora_alpha", path) ?? throw Missing(path, "lora_alpha"),
            Dropout = Number(root, "lora_dropout", path) ?? 0,
            TargetModules = Targets(root, path),
            BaseModelNameOrPath = String(root, "base_model_name_or_path", path) ?? "",
        };
        try { config.Validate(); }
        catch (ArgumentException e) { throw new InvalidDataException($"{path}: {e.Message}"); }
        return config;
    }

    /// Options whose non-default value changes what the adapter computes: key → "is this value the default?".
    private static readonly (string Key, Func<JsonNode?, bool> IsDefault)[] Unsupported =
    {
        ("bias", n => n is null || (n is JsonValue v && v.TryGetValue(out string? s) && s == "none")),
        ("lora_bias", IsFalseOrNull),
        ("fan_in_fan_out", IsFalseOrNull),
        ("use_rslora", IsFalseOrNull),
        ("use_dora", IsFalseOrNull),
        ("modules_to_save", IsEmptyOrNull),
        ("layers_to_transform", IsEmptyOrNull),
        ("exclude_modules", IsEmptyOrNull),
        ("target_parameters", IsEmptyOrNull),
        ("trainable_token_indices", IsEmptyOrNull),
        ("layer_replication", IsEmptyOrNull),
        ("rank_pattern", IsEmptyOrNull),
        ("alpha_pattern", IsEmptyOrNull),
    };

    private static void RefuseUnsupported(JsonObject root, string path)
    {
        foreach (var (key, isDefault) in Unsupported)
            if (root.TryGetPropertyValue(key, out var node) && !isDefault(node))
                throw new InvalidDataException($"{path}: {key} is {node!.ToJsonString()}; these LoRA adapters support only the default (plain LoRA: no bias, no DoRA or rsLoRA, one rank and alpha for every targeted projection, no extra trained modules).");
    }

    private static bool IsFalseOrNull(JsonNode? n) => n is null || (n is JsonValue v && v.TryGetValue(out bool b) && !b);

    private static bool IsEmptyOrNull(JsonNode? n) => n switch
    {
        null => true,
        JsonArray a => a.Count == 0,
        JsonObject o => o.Count == 0,
        _ => false,
    };

    /// target_modules: a list of names, or the string "all-linear". PEFT full-matches any other string as a regex
    /// against whole module paths ("q_proj" alone matches nothing there), so such a string is refused.
    private static IReadOnlyList<string> Targets(JsonObject root, string path)
    {
        if (!root.TryGetPropertyValue("target_modules", out var node) || node is null) throw Missing(path, "target_modules");
        if (node is JsonValue v && v.TryGetValue(out string? single))
        {
            if (single == LoraConfig.AllLinear) return [single];
            throw new InvalidDataException($"{path}: target_modules is the pattern \"{single}\"; regular expressions are not supported: list some of {string.Join(", ", LoraConfig.AllTargets)} or give \"{LoraConfig.AllLinear}\".");
        }
        if (node is not JsonArray list)
            throw new InvalidDataException($"{path}: target_modules is {node.ToJsonString()}; expected a list of module names.");
        return list.Select(e => e is JsonValue ev && ev.TryGetValue(out string? s) ? s
            : throw new InvalidDataException($"{path}: target_modules holds {e?.ToJsonString() ?? "null"}; expected module names (strings).")).ToArray();
    }

    private static string? String(JsonObject root, string key, string path)
    {
        if (!root.TryGetPropertyValue(key, out var node) || node is null) return null;
        return node is JsonValue v && v.TryGetValue(out string? s) ? s
            : throw new InvalidDataException($"{path}: {key} is {node.ToJsonString()}; expected a string.");
    }

    private static double? Number(JsonObject root, string key, string path)
    {
        if (!root.TryGetPropertyValue(key, out var node) || node is null) return null;
        return node is JsonValue v && v.GetValueKind() == JsonValueKind.Number ? v.GetValue<double>()
            : throw new InvalidDataException($"{path}: {key} is {node.ToJsonString()}; expected a number.");
    }

    private static int Integer(JsonObject root, string key, string path)
    {
        var value = Number(root, key, path) ?? throw Missing(path, key);
        if (value != Math.Floor(value) || value < 1 || value > int.MaxValue)
            throw new InvalidDataException($"{path}: {key} is {value}; expected a positive whole number.");
        return (int)value;
    }

    private static InvalidDataException Missing(string path, string key) =>
        new($"{path}: key '{key}' is missing.");
}
