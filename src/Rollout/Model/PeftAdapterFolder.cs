using System.Text.Json;
using System.Text.Json.Nodes;
using RlTrainer.Rollout.Safetensors;
using static TorchSharp.torch;

namespace RlTrainer.Rollout.Model;

/// <summary>
/// Reads and writes LoRA adapters in PEFT's folder layout, so PEFT, vLLM and SGLang load what we train and we load
/// theirs: adapter_config.json (LoraConfig's fields) and adapter_model.safetensors with PEFT's keys,
/// base_model.model.model.layers.N.self_attn.q_proj.lora_A.weight (r, in) and ….lora_B.weight (out, r).
/// </summary>
public static class PeftAdapterFolder
{
    public const string ConfigFile = "adapter_config.json";
    public const string WeightsFile = "adapter_model.safetensors";

    /// <summary>Writes the model's attached adapter into <paramref name="dir"/> (created if needed); each file goes
    /// to a temporary name first and is renamed over, so a reader never sees half a file.</summary>
    /// <exception cref="InvalidOperationException">The model has no adapters.</exception>
    public static void Save(CausalLm model, string dir)
    {
        var config = model.Lora ?? throw new InvalidOperationException($"{dir}: the model has no LoRA adapters to save.");
        Directory.CreateDirectory(dir);
        var tensors = model.LoraParameters().Select(p => new KeyValuePair<string, Tensor>(p.PeftName, p.Parameter)).ToList();
        WriteThroughTemp(Path.Combine(dir, WeightsFile), tmp => SafetensorsFile.Write(tmp, tensors));
        var json = ConfigJson(config).ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";
        WriteThroughTemp(Path.Combine(dir, ConfigFile), tmp =>
        {
            using var file = new FileStream(tmp, FileMode.Create, FileAccess.Write, FileShare.None);
            file.Write(System.Text.Encoding.UTF8.GetBytes(json));
            file.Flush(flushToDisk: true);
        });
    }

    /// <summary>The fields PEFT's LoraConfig writes, with the values our adapters mean (no bias, no rsLoRA/DoRA,
    /// weights stored (out, in)). target_modules is the resolved list, as PEFT stores "all-linear" after matching.</summary>
    private static JsonObject ConfigJson(LoraConfig c) => new()
    {
        ["peft_type"] = "LORA",
        ["task_type"] = "CAUSAL_LM",
        ["r"] = c.Rank,
        ["lora_alpha"] = c.Alpha,
        ["lora_dropout"] = c.Dropout,
        ["target_modules"] = new JsonArray(c.ResolvedTargets().Select(t => (JsonNode)JsonValue.Create(t)).ToArray()),
        ["base_model_name_or_path"] = c.BaseModelNameOrPath,
        ["bias"] = "none",
        ["fan_in_fan_out"] = false,
        ["inference_mode"] = true,
        ["init_lora_weights"] = true,
        ["use_rslora"] = false,
        ["use_dora"] = false,
        ["modules_to_save"] = null,
        ["layers_to_transform"] = null,
        ["rank_pattern"] = new JsonObject(),
        ["alpha_pattern"] = new JsonObject(),
    };

    private static void WriteThroughTemp(string path, Action<string> write)
    {
        var temp = $"{path}.tmp-{Environment.ProcessId}-{Guid.NewGuid():N}";
        try
        {
            write(temp);
            File.Move(temp, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    /// <summary>Reads adapter_config.json. Errors name the file and the key: a missing or unparsable file, a
    /// peft_type other than LORA, a missing or invalid r / lora_alpha / lora_dropout / target_modules, an unknown
    /// target module, and PEFT options these adapters do not implement (bias, DoRA, rsLoRA, rank patterns, …).</summary>
    public static LoraConfig ReadConfig(string dir)
    {
        var path = Path.Combine(dir, ConfigFile);
        if (!File.Exists(path))
            throw new FileNotFoundException($"{path}: not found (a PEFT adapter folder needs {ConfigFile} and {WeightsFile}).", path);
        JsonObject root;
        try
        {
            root = JsonNode.Parse(File.ReadAllText(path)) as JsonObject
                ?? throw new InvalidDataException($"{path}: not a JSON object.");
        }
        catch (JsonException e) { throw new InvalidDataException($"{path}: not valid JSON ({e.Message})."); }
        return PeftConfigReader.Read(root, path);
    }

    /// <summary>Attaches the adapter in <paramref name="dir"/> to <paramref name="model"/> (AddLora with its config,
    /// then its tensors). Missing or extra tensors and shape mismatches are errors naming the key and both shapes; on
    /// any error the model is left without adapters.</summary>
    public static void Load(CausalLm model, string dir)
    {
        var config = ReadConfig(dir);
        var path = Path.Combine(dir, WeightsFile);
        if (!File.Exists(path))
            throw new FileNotFoundException($"{path}: not found (a PEFT adapter folder needs {ConfigFile} and {WeightsFile}).", path);
        using var file = SafetensorsFile.Open(path);
        model.AddLora(config, seed: 0);
        try
        {
            CopyTensors(model, file, config);
        }
        catch
        {
            model.DetachLora();
            throw;
        }
    }

    private static void CopyTensors(CausalLm model, SafetensorsFile file, LoraConfig config)
    {
        var expected = model.LoraParameters();
        foreach (var (key, p) in expected)
        {
            if (!file.Entries.TryGetValue(key, out var entry))
                throw new InvalidDataException($"{file.Path}: tensor '{key}' is missing ({ConfigFile} targets {string.Join(", ", config.ResolvedTargets())} with r={config.Rank}).");
            if (!entry.Shape.SequenceEqual(p.shape))
                throw new InvalidDataException($"{file.Path}: tensor '{key}' has shape [{string.Join(", ", entry.Shape)}] but the model and {ConfigFile} (r={config.Rank}) imply [{string.Join(", ", p.shape)}].");
        }
        var known = expected.Select(e => e.PeftName).ToHashSet();
        var extra = file.Entries.Keys.Where(k => !known.Contains(k)).Order(StringComparer.Ordinal).ToList();
        if (extra.Count > 0)
            throw new InvalidDataException($"{file.Path}: tensors that {ConfigFile} (targets {string.Join(", ", config.ResolvedTargets())}) and this {model.Config.ModelType} model with {model.Config.NumHiddenLayers} layers do not account for: {string.Join(", ", extra.Take(6))}{(extra.Count > 6 ? ", ..." : "")}.");
        using var noGrad = no_grad();
        foreach (var (key, p) in expected)
        {
            using var stored = file.Read(key);
            p.copy_(stored);
        }
    }
}
