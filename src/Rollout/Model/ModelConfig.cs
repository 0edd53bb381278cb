using System.Text.Json;
using System.Text.Json.Nodes;

namespace RlTrainer.Rollout.Model;

/// <summary>
/// The fields of a Hugging Face config.json that the causal LM needs, for model_type qwen2, qwen3 and llama.
/// Defaults follow the transformers config classes where config.json may omit a field.
/// </summary>
public sealed record ModelConfig
{
    public static readonly string[] SupportedModelTypes = { "qwen2", "qwen3", "llama" };

    public string ModelType { get; init; } = "qwen2";
    public int VocabSize { get; init; }
    public int HiddenSize { get; init; }
    public int IntermediateSize { get; init; }
    public int NumHiddenLayers { get; init; }
    public int NumAttentionHeads { get; init; }
    public int NumKeyValueHeads { get; init; }
    /// Per-head width; qwen3 and llama may set it explicitly (then it need not equal hidden / heads).
    public int HeadDim { get; init; }
    public int MaxPositionEmbeddings { get; init; } = 32768;
    public double RmsNormEps { get; init; } = 1e-6;
    public double RopeTheta { get; init; } = 10000.0;
    public RopeScaling? RopeScaling { get; init; }
    public bool TieWordEmbeddings { get; init; }
    /// Bias on q/k/v projections (qwen2 always; llama/qwen3 `attention_bias`, which also puts one on o_proj).
    public bool QkvBias { get; init; }
    public bool OutputBias { get; init; }
    public bool MlpBias { get; init; }
    /// Per-head RMSNorm of q and k before RoPE (qwen3).
    public bool QkNorm { get; init; }
    public int? BosTokenId { get; init; }
    public List<int> EosTokenIds { get; init; } = new();
    public string TorchDtype { get; init; } = "float32";

    /// <summary>Reads config.json; an unknown model_type or a missing/invalid field names the file and the key.</summary>
    public static ModelConfig Load(string path)
    {
        JsonNode root;
        try { root = JsonNode.Parse(File.ReadAllText(path)) ?? throw new InvalidDataException($"{path}: empty JSON."); }
        catch (JsonException e) { throw new InvalidDataException($"{path}: not valid JSON ({e.Message})."); }
        return FromJson(root.AsObject(), path);
    }

    public static ModelConfig FromJson(JsonObject o, string path)
    {
        string type = o["model_type"]?.GetValue<string>()
            ?? throw new InvalidDataException($"{path}: missing 'model_type'.");
        if (!SupportedModelTypes.Contains(type))
            throw new InvalidDataException($"{path}: model_type '{type}' is not supported (supported: {string.Join(", ", SupportedModelTypes)}).");

        int Int(string key, int? fallback = null)
        {
            var node = o[key];
            if (node is null)
                return fallback ?? throw new InvalidDataException($"{path}: missing '{key}'.");
            try
            {
                int v = node.GetValue<int>();
                if (v <= 0) throw new InvalidDataException($"{path}: '{key}' must be positive, got {v}.");
                return v;
            }
            catch (Exception e) when (e is FormatException or InvalidOperationException)
            {
                throw new InvalidDataException($"{path}: '{key}' must be an integer, got {node.ToJsonString()}.");
            }
        }
        double Real(string key, double fallback)
        {
            var node = o[key];
            if (node is null) return fallback;
            try { return node.GetValue<double>(); }
            catch (Exception e) when (e is FormatException or InvalidOperationException)
            {
                throw new InvalidDataException($"{path}: '{key}' must be a number, got {node.ToJsonString()}.");
            }
        }
        bool Flag(string key, bool fallback) => o[key] is { } n ? n.GetValue<bool>() : fallback;

        int hidden = Int("hidden_size"), heads = Int("num_attention_heads");
        bool attentionBias = Flag("attention_bias", false);
        var config = new ModelConfig
        {
            ModelType = type,
            VocabSize = Int("vocab_size"),
            HiddenSize = hidden,
            IntermediateSize = Int("intermediate_size"),
            NumHiddenLayers = Int("num_hidden_layers"),
            NumAttentionHeads = heads,
            NumKeyValueHeads = Int("num_key_value_heads", heads),
            HeadDim = o["head_dim"] is null ? hidden / heads : Int("head_dim"),
            MaxPositionEmbeddings = Int("max_position_embeddings", 32768),
            RmsNormEps = Real("rms_norm_eps", 1e-6),
            RopeTheta = Real("rope_theta", 10000.0),
            RopeScaling = RopeScaling.FromJson(o["rope_scaling"] as JsonObject, path),
            TieWordEmbeddings = Flag("tie_word_embeddings", false), // false in Qwen2Config, Qwen3Config and LlamaConfig
            QkvBias = type == "qwen2" || attentionBias,
            OutputBias = type != "qwen2" && attentionBias,
            MlpBias = type == "llama" && Flag("mlp_bias", false),
            QkNorm = type == "qwen3",
            BosTokenId = o["bos_token_id"]?.GetValue<int?>(),
            EosTokenIds = ReadIds(o["eos_token_id"]),
            TorchDtype = o["torch_dtype"]?.GetValue<string>() ?? o["dtype"]?.GetValue<string>() ?? "float32",
        };
        if (config.NumAttentionHeads % config.NumKeyValueHeads != 0)
            throw new InvalidDataException($"{path}: num_attention_heads {heads} is not a multiple of num_key_value_heads {config.NumKeyValueHeads}.");
        if (config.HeadDim % 2 != 0)
            throw new InvalidDataException($"{path}: head_dim {config.HeadDim} must be even for rotary embeddings.");
        return config;
    }

    internal static List<int> ReadIds(JsonNode? node) => node switch
    {
        null => new List<int>(),
        JsonArray a => a.Select(x => x!.GetValue<int>()).ToList(),
        _ => new List<int> { node.GetValue<int>() },
    };

    /// <summary>The config.json this record stands for, in the layout transformers writes.</summary>
    public JsonObject ToJson()
    {
        string arch = ModelType switch { "qwen2" => "Qwen2ForCausalLM", "qwen3" => "Qwen3ForCausalLM", _ => "LlamaForCausalLM" };
        var o = new JsonObject
        {
            ["architectures"] = new JsonArray(arch),
            ["model_type"] = ModelType,
            ["vocab_size"] = VocabSize,
            ["hidden_size"] = HiddenSize,
            ["intermediate_size"] = IntermediateSize,
            ["num_hidden_layers"] = NumHiddenLayers,
            ["num_attention_heads"] = NumAttentionHeads,
            ["num_key_value_heads"] = NumKeyValueHeads,
            ["head_dim"] = HeadDim,
            ["max_position_embeddings"] = MaxPositionEmbeddings,
            ["rms_norm_eps"] = RmsNormEps,
            ["rope_theta"] = RopeTheta,
            ["rope_scaling"] = RopeScaling?.ToJson(),
            ["tie_word_embeddings"] = TieWordEmbeddings,
            ["hidden_act"] = "silu",
            ["torch_dtype"] = TorchDtype,
            ["use_cache"] = true,
        };
        if (ModelType != "qwen2") o["attention_bias"] = QkvBias;
        if (ModelType == "llama") o["mlp_bias"] = MlpBias;
        if (BosTokenId is { } bos) o["bos_token_id"] = bos;
        if (EosTokenIds.Count == 1) o["eos_token_id"] = EosTokenIds[0];
        else if (EosTokenIds.Count > 1) o["eos_token_id"] = new JsonArray(EosTokenIds.Select(i => (JsonNode)i).ToArray());
        return o;
    }
}
