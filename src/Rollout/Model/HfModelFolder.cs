using System.Text.Json;
using System.Text.Json.Nodes;
using RlTrainer.Rollout.Safetensors;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace RlTrainer.Rollout.Model;

/// <summary>
/// Loads and saves models in the Hugging Face folder layout: config.json, model.safetensors (or shards listed by
/// model.safetensors.index.json), generation_config.json and the tokenizer files.
/// </summary>
public static class HfModelFolder
{
    public const string IndexFile = "model.safetensors.index.json";
    public const string SingleFile = "model.safetensors";
    public static readonly string[] TokenizerFiles =
        { "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "vocab.json", "merges.txt" };

    /// Tensor names that checkpoints may carry but the model does not use (buffers of older transformers versions).
    private static bool IsIgnorable(string name) => name.EndsWith("rotary_emb.inv_freq", StringComparison.Ordinal);

    /// <summary>Loads config.json and the weights; weights are cast to the device's compute dtype. With a
    /// <paramref name="tokenizer"/>, the logits cover only the ids it defines (<see cref="CausalLm.LogitVocabSize"/>),
    /// and a tokenizer with more ids than vocab_size is an error before any weight is read.</summary>
    public static CausalLm Load(string dir, ComputeDevice device, Tokenization.HfTokenizer? tokenizer = null)
    {
        if (!Directory.Exists(dir)) throw new DirectoryNotFoundException($"model folder '{dir}' does not exist.");
        var configPath = Path.Combine(dir, "config.json");
        if (!File.Exists(configPath)) throw new FileNotFoundException($"{configPath}: not found (a Hugging Face model folder needs config.json).", configPath);
        var config = ModelConfig.Load(configPath);
        if (tokenizer is not null) CausalLm.EnsureTokenizerFits(config.VocabSize, tokenizer.VocabSize, tokenizer.FilePath);
        var model = new CausalLm(config, device);
        if (tokenizer is not null) model.UseTokenizerVocabulary(tokenizer.VocabSize, tokenizer.FilePath);
        LoadWeights(model, dir);
        return model;
    }

    /// <summary>Copies every base parameter from the folder's safetensors files, checking names and shapes (attached
    /// LoRA adapters are not part of a Hugging Face folder and are left as they are).</summary>
    public static void LoadWeights(CausalLm model, string dir)
    {
        var files = OpenShards(dir);
        try
        {
            var owner = new Dictionary<string, SafetensorsFile>();
            foreach (var f in files)
                foreach (var name in f.Entries.Keys)
                    owner[name] = f;

            using var noGrad = no_grad();
            var expected = new HashSet<string>();
            foreach (var (name, param) in model.BaseParameters())
            {
                expected.Add(name);
                if (!owner.TryGetValue(name, out var file))
                    throw new InvalidDataException($"{dir}: tensor '{name}' is missing from {string.Join(", ", files.Select(f => Path.GetFileName(f.Path)))} (model_type {model.Config.ModelType}).");
                var entry = file.Entries[name];
                if (!entry.Shape.SequenceEqual(param.shape))
                    throw new InvalidDataException($"{file.Path}: tensor '{name}' has shape [{string.Join(", ", entry.Shape)}] but config.json implies [{string.Join(", ", param.shape)}].");
                using var stored = file.Read(name);
                param.copy_(stored);
            }
            var unexpected = owner.Keys.Where(n => !expected.Contains(n) && !IsIgnorable(n)
                && !(n == "lm_head.weight" && model.Config.TieWordEmbeddings)).ToList();
            if (unexpected.Count > 0)
                throw new InvalidDataException($"{dir}: tensors not used by a {model.Config.ModelType} model with this config.json: {string.Join(", ", unexpected.Take(8))}{(unexpected.Count > 8 ? ", ..." : "")}.");
        }
        finally
        {
            foreach (var f in files) f.Dispose();
        }
    }

    private static List<SafetensorsFile> OpenShards(string dir)
    {
        var index = Path.Combine(dir, IndexFile);
        var single = Path.Combine(dir, SingleFile);
        var names = new List<string>();
        if (File.Exists(index))
        {
            JsonNode? root;
            try { root = JsonNode.Parse(File.ReadAllText(index)); }
            catch (JsonException e) { throw new InvalidDataException($"{index}: not valid JSON ({e.Message})."); }
            var map = root?["weight_map"] as JsonObject ?? throw new InvalidDataException($"{index}: missing 'weight_map'.");
            names.AddRange(map.Select(kv => kv.Value!.GetValue<string>()).Distinct());
        }
        else if (File.Exists(single)) names.Add(SingleFile);
        else throw new FileNotFoundException($"{dir}: neither {SingleFile} nor {IndexFile} exists.");

        var files = new List<SafetensorsFile>();
        try
        {
            foreach (var n in names)
            {
                var p = Path.Combine(dir, n);
                if (!File.Exists(p)) throw new FileNotFoundException($"{index}: lists shard '{n}', which does not exist.", p);
                files.Add(SafetensorsFile.Open(p));
            }
        }
        catch
        {
            foreach (var f in files) f.Dispose();
            throw;
        }
        return files;
    }

    /// <summary>transformers' default max_shard_size, "5GB" (decimal).</summary>
    public const long DefaultMaxShardBytes = 5_000_000_000;

    /// <summary>
    /// save_pretrained equivalent: config.json, model.safetensors (float32 on CPU; the config's torch_dtype says so),
    /// generation_config.json, and the tokenizer files copied from <paramref name="tokenizerDir"/> when given.
    /// Weights larger than <paramref name="maxShardBytes"/> are split as transformers splits them:
    /// model-0000i-of-0000N.safetensors plus model.safetensors.index.json ({"metadata": {"total_size"}, "weight_map"}).
    /// Writes into <paramref name="dir"/> directly; callers that need atomicity write to a temp folder and rename.
    /// A model with unmerged LoRA adapters is refused before anything is written: its base weights alone would be a
    /// silently wrong "trained" model, so save the adapter (PeftAdapterFolder.Save) or merge it first (MergeLora).
    /// </summary>
    /// <param name="mergeAdapters">Write W + α/r·B·A for every adapted projection (a merged copy for an engine or a
    /// user), leaving the model and its adapters as they are.</param>
    /// <exception cref="InvalidOperationException">The model carries unmerged LoRA adapters and <paramref name="mergeAdapters"/> is false.</exception>
    public static void Save(CausalLm model, string dir, string? tokenizerDir = null, JsonObject? generationConfig = null,
        long maxShardBytes = DefaultMaxShardBytes, bool mergeAdapters = false)
    {
        if (maxShardBytes < 1) throw new ArgumentOutOfRangeException(nameof(maxShardBytes), maxShardBytes, "a shard holds at least one byte.");
        if (model.Lora is { } lora && !mergeAdapters)
            throw new InvalidOperationException($"{dir}: not writing a full Hugging Face checkpoint of a model with unmerged LoRA adapters (r={lora.Rank}, {string.Join(",", lora.ResolvedTargets())}): save the adapter with PeftAdapterFolder.Save, or call MergeLora() first to write the merged model.");
        Directory.CreateDirectory(dir);
        var storeType = model.Device.DType == ScalarType.Float32 ? ScalarType.Float32 : ScalarType.BFloat16;
        var config = model.Config with { TorchDtype = storeType == ScalarType.Float32 ? "float32" : "bfloat16" };
        WriteJson(Path.Combine(dir, "config.json"), config.ToJson());
        WriteWeights(model, dir, storeType, maxShardBytes);

        var gen = generationConfig ?? ReadGenerationConfig(tokenizerDir) ?? DefaultGenerationConfig(model.Config);
        WriteJson(Path.Combine(dir, "generation_config.json"), gen);
        if (tokenizerDir is not null) CopyTokenizerFiles(tokenizerDir, dir);
    }

    /// <summary>Copies the <see cref="TokenizerFiles"/> that <paramref name="from"/> holds into <paramref name="to"/>
    /// (nothing when both are the same folder).</summary>
    public static void CopyTokenizerFiles(string from, string to)
    {
        if (Path.GetFullPath(from) == Path.GetFullPath(to)) return;
        foreach (var f in TokenizerFiles)
        {
            var src = Path.Combine(from, f);
            if (File.Exists(src)) File.Copy(src, Path.Combine(to, f), overwrite: true);
        }
    }

    /// Greedy in name order, as transformers' shard_checkpoint: a tensor that would overflow the current shard starts a
    /// new one (a tensor larger than the limit gets a shard of its own). Only one shard's tensors are converted to the
    /// stored dtype and copied to the CPU at a time, so saving never holds a second copy of the whole model.
    private static void WriteWeights(CausalLm model, string dir, ScalarType storeType, long maxShardBytes)
    {
        int elementSize = storeType == ScalarType.Float32 ? 4 : 2;
        var named = model.BaseParameters().OrderBy(p => p.Name, StringComparer.Ordinal).ToList();
        var shards = new List<List<(string Name, Parameter Param)>> { new() };
        long current = 0, total = 0;
        foreach (var (name, p) in named)
        {
            long bytes = p.numel() * elementSize;
            if (current > 0 && current + bytes > maxShardBytes) { shards.Add(new()); current = 0; }
            shards[^1].Add((name, p));
            current += bytes;
            total += bytes;
        }
        string FileName(int i) => shards.Count == 1 ? SingleFile : $"model-{i + 1:D5}-of-{shards.Count:D5}.safetensors";
        for (int i = 0; i < shards.Count; i++)
        {
            var tensors = new List<KeyValuePair<string, Tensor>>();
            try
            {
                foreach (var (name, p) in shards[i])
                {
                    var merged = model.MergedWeightOf(name);   // null unless an adapter sits on it
                    var stored = (merged ?? p.detach()).to(storeType).cpu();
                    if (merged is not null && !ReferenceEquals(merged, stored)) merged.Dispose();
                    tensors.Add(new(name, stored));
                }
                SafetensorsFile.Write(Path.Combine(dir, FileName(i)), tensors);
            }
            finally
            {
                foreach (var kv in tensors) kv.Value.Dispose();
            }
        }
        if (shards.Count == 1) return;
        var map = new JsonObject();
        for (int i = 0; i < shards.Count; i++)
            foreach (var (name, _) in shards[i]) map[name] = FileName(i);
        WriteJson(Path.Combine(dir, IndexFile), new JsonObject
        {
            ["metadata"] = new JsonObject { ["total_size"] = total },
            ["weight_map"] = map,
        });
    }

    private static JsonObject? ReadGenerationConfig(string? dir)
    {
        if (dir is null) return null;
        var p = Path.Combine(dir, "generation_config.json");
        return File.Exists(p) ? JsonNode.Parse(File.ReadAllText(p)) as JsonObject : null;
    }

    private static JsonObject DefaultGenerationConfig(ModelConfig c)
    {
        var o = new JsonObject();
        if (c.BosTokenId is { } bos) o["bos_token_id"] = bos;
        if (c.EosTokenIds.Count > 0) o["eos_token_id"] = c.EosTokenIds.Count == 1 ? c.EosTokenIds[0] : new JsonArray(c.EosTokenIds.Select(i => (JsonNode)i).ToArray());
        o["transformers_version"] = "4.46.0";
        return o;
    }

    private static void WriteJson(string path, JsonNode node) =>
        File.WriteAllText(path, node.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
}
