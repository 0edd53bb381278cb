using System.Text.Json;

namespace RlTrainer.Rollout.Tokenization;

/// <summary>The parts of a byte-level BPE tokenizer.json that encoding and decoding need.</summary>
internal sealed record TokenizerDefinition(
    Dictionary<string, int> Vocab,
    List<(string Left, string Right)> Merges,
    List<AddedToken> AddedTokens,
    bool NormalizeNfc,
    List<string> SplitPatterns,
    bool AddPrefixSpace,
    bool IgnoreMerges);

/// <summary>
/// Reads a Hugging Face tokenizer.json of the byte-level BPE kind (GPT-2, Qwen2/2.5/3, Llama-3 and files written by
/// <see cref="ByteLevelBpeTrainer"/>). Every other shape fails with the file, the field and the value found, rather
/// than encoding differently from the reference implementation.
/// </summary>
internal static class TokenizerJsonReader
{
    public static TokenizerDefinition Read(string path)
    {
        using var document = ParseJson(path);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object) throw Bad(path, "(root)", "is not a JSON object");

        var model = Required(root, "model", JsonValueKind.Object, path, "model");
        var (vocab, merges, ignoreMerges) = ReadModel(model, path);
        var addedTokens = ReadAddedTokens(root, path);
        var normalizeNfc = ReadNormalizer(root, path);
        var (patterns, addPrefixSpace) = ReadPreTokenizer(root, path);
        CheckDecoder(root, path);
        return new TokenizerDefinition(vocab, merges, addedTokens, normalizeNfc, patterns, addPrefixSpace, ignoreMerges);
    }

    internal static JsonDocument ParseJson(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: file not found", path);
        try
        {
            using var stream = File.OpenRead(path);
            return JsonDocument.Parse(stream, new JsonDocumentOptions { AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not valid JSON ({e.Message})", e);
        }
    }

    internal static InvalidDataException Bad(string path, string field, string problem) =>
        new($"{path}: field '{field}' {problem}");

    private static JsonElement Required(JsonElement parent, string name, JsonValueKind kind, string path, string field)
    {
        if (!parent.TryGetProperty(name, out var value)) throw Bad(path, field, "is missing");
        if (value.ValueKind != kind) throw Bad(path, field, $"should be {Describe(kind)} but is {Describe(value.ValueKind)}");
        return value;
    }

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.Null => "null",
        _ => kind.ToString().ToLowerInvariant(),
    };

    private static string? OptionalString(JsonElement parent, string name) =>
        parent.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static bool OptionalBool(JsonElement parent, string name, bool fallback) =>
        parent.TryGetProperty(name, out var v) && v.ValueKind is JsonValueKind.True or JsonValueKind.False
            ? v.GetBoolean()
            : fallback;

    private static (Dictionary<string, int>, List<(string, string)>, bool) ReadModel(JsonElement model, string path)
    {
        var type = OptionalString(model, "type");
        if (type != "BPE") throw Bad(path, "model.type", $"is '{type ?? "(missing)"}'; only byte-level 'BPE' models are supported");
        if (OptionalBool(model, "byte_fallback", false))
            throw Bad(path, "model.byte_fallback", "is true; byte-fallback (SentencePiece-style) BPE is not supported");
        foreach (var affix in new[] { "continuing_subword_prefix", "end_of_word_suffix" })
        {
            var value = OptionalString(model, affix);
            if (!string.IsNullOrEmpty(value)) throw Bad(path, $"model.{affix}", $"is '{value}'; only byte-level BPE without affixes is supported");
        }
        if (model.TryGetProperty("dropout", out var dropout) && dropout.ValueKind == JsonValueKind.Number && dropout.GetDouble() > 0)
            throw Bad(path, "model.dropout", $"is {dropout.GetDouble()}; BPE dropout is a training-time option and is not supported");

        var vocab = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var entry in Required(model, "vocab", JsonValueKind.Object, path, "model.vocab").EnumerateObject())
        {
            if (entry.Value.ValueKind != JsonValueKind.Number || !entry.Value.TryGetInt32(out var id) || id < 0)
                throw Bad(path, $"model.vocab[\"{entry.Name}\"]", $"should be a non-negative integer id but is {entry.Value.GetRawText()}");
            vocab[entry.Name] = id;
        }

        var merges = new List<(string, string)>();
        var index = 0;
        foreach (var merge in Required(model, "merges", JsonValueKind.Array, path, "model.merges").EnumerateArray())
        {
            merges.Add(ReadMerge(merge, path, index++));
        }
        return (vocab, merges, OptionalBool(model, "ignore_merges", false));
    }

    // Older files store a merge as "left right", newer ones as ["left", "right"] (which allows spaces in tokens).
    private static (string, string) ReadMerge(JsonElement merge, string path, int index)
    {
        string? left = null, right = null;
        if (merge.ValueKind == JsonValueKind.String)
        {
            var parts = merge.GetString()!.Split(' ');
            if (parts.Length == 2) (left, right) = (parts[0], parts[1]);
        }
        else if (merge.ValueKind == JsonValueKind.Array && merge.GetArrayLength() == 2
                 && merge[0].ValueKind == JsonValueKind.String && merge[1].ValueKind == JsonValueKind.String)
        {
            (left, right) = (merge[0].GetString(), merge[1].GetString());
        }
        if (string.IsNullOrEmpty(left) || string.IsNullOrEmpty(right) || left.Contains(' ') || right.Contains(' '))
            throw Bad(path, $"model.merges[{index}]", $"should be \"left right\" or [\"left\", \"right\"] with non-empty byte-level symbols but is {merge.GetRawText()}");
        return (left, right);
    }

    private static List<AddedToken> ReadAddedTokens(JsonElement root, string path)
    {
        var tokens = new List<AddedToken>();
        if (!root.TryGetProperty("added_tokens", out var list) || list.ValueKind == JsonValueKind.Null) return tokens;
        if (list.ValueKind != JsonValueKind.Array) throw Bad(path, "added_tokens", "should be an array");
        var index = 0;
        foreach (var item in list.EnumerateArray())
        {
            var field = $"added_tokens[{index++}]";
            if (item.ValueKind != JsonValueKind.Object) throw Bad(path, field, "should be an object");
            var id = Required(item, "id", JsonValueKind.Number, path, field + ".id");
            var content = Required(item, "content", JsonValueKind.String, path, field + ".content").GetString()!;
            if (!id.TryGetInt32(out var tokenId) || tokenId < 0) throw Bad(path, field + ".id", $"should be a non-negative integer but is {id.GetRawText()}");
            if (content.Length == 0) throw Bad(path, field + ".content", "is empty");
            tokens.Add(new AddedToken(tokenId, content,
                Special: OptionalBool(item, "special", false),
                SingleWord: OptionalBool(item, "single_word", false),
                LeftStrip: OptionalBool(item, "lstrip", false),
                RightStrip: OptionalBool(item, "rstrip", false),
                Normalized: OptionalBool(item, "normalized", false)));
        }
        return tokens;
    }

    private static bool ReadNormalizer(JsonElement root, string path)
    {
        if (!root.TryGetProperty("normalizer", out var normalizer) || normalizer.ValueKind == JsonValueKind.Null) return false;
        return NormalizerIsNfc(normalizer, path, "normalizer");
    }

    // Only NFC (alone or inside a Sequence) is part of the byte-level BPE files this reader accepts.
    private static bool NormalizerIsNfc(JsonElement normalizer, string path, string field)
    {
        var type = OptionalString(normalizer, "type");
        if (type == "NFC") return true;
        if (type == "Sequence")
        {
            var nfc = false;
            var index = 0;
            foreach (var inner in Required(normalizer, "normalizers", JsonValueKind.Array, path, field + ".normalizers").EnumerateArray())
                nfc |= NormalizerIsNfc(inner, path, $"{field}.normalizers[{index++}]");
            return nfc;
        }
        throw Bad(path, field + ".type", $"is '{type ?? "(missing)"}'; only null or 'NFC' normalizers are supported");
    }

    private static (List<string>, bool) ReadPreTokenizer(JsonElement root, string path)
    {
        if (!root.TryGetProperty("pre_tokenizer", out var pre) || pre.ValueKind != JsonValueKind.Object)
            throw Bad(path, "pre_tokenizer", "is missing or null; byte-level BPE needs a ByteLevel pre-tokenizer");
        var stages = OptionalString(pre, "type") == "Sequence"
            ? Required(pre, "pretokenizers", JsonValueKind.Array, path, "pre_tokenizer.pretokenizers").EnumerateArray()
                .Select((stage, i) => (stage, $"pre_tokenizer.pretokenizers[{i}]")).ToList()
            : new List<(JsonElement, string)> { (pre, "pre_tokenizer") };

        var patterns = new List<string>();
        bool? addPrefixSpace = null;
        foreach (var (stage, field) in stages)
        {
            var type = OptionalString(stage, "type");
            if (addPrefixSpace is not null)
                throw Bad(path, field + ".type", $"is '{type}' after the ByteLevel stage; ByteLevel must come last");
            switch (type)
            {
                case "Split":
                    patterns.Add(ReadSplit(stage, path, field));
                    break;
                case "ByteLevel":
                    if (OptionalBool(stage, "use_regex", true)) patterns.Add(PreTokenizerSplitter.Gpt2Pattern);
                    addPrefixSpace = OptionalBool(stage, "add_prefix_space", false);
                    break;
                default:
                    throw Bad(path, field + ".type", $"is '{type ?? "(missing)"}'; only ByteLevel, or a Sequence of Split stages ending in ByteLevel, is supported");
            }
        }
        if (addPrefixSpace is null) throw Bad(path, "pre_tokenizer", "has no ByteLevel stage; only byte-level BPE is supported");
        return (patterns, addPrefixSpace.Value);
    }

    private static string ReadSplit(JsonElement split, string path, string field)
    {
        var behavior = OptionalString(split, "behavior");
        if (behavior != "Isolated") throw Bad(path, field + ".behavior", $"is '{behavior ?? "(missing)"}'; only 'Isolated' is supported");
        if (OptionalBool(split, "invert", false)) throw Bad(path, field + ".invert", "is true; only invert=false is supported");
        var pattern = Required(split, "pattern", JsonValueKind.Object, path, field + ".pattern");
        var regex = OptionalString(pattern, "Regex");
        if (regex is not null) return regex;
        var literal = OptionalString(pattern, "String");
        if (literal is not null) return System.Text.RegularExpressions.Regex.Escape(literal);
        throw Bad(path, field + ".pattern", $"should hold a \"Regex\" or \"String\" but is {pattern.GetRawText()}");
    }

    private static void CheckDecoder(JsonElement root, string path)
    {
        if (!root.TryGetProperty("decoder", out var decoder) || decoder.ValueKind == JsonValueKind.Null) return;
        var type = OptionalString(decoder, "type");
        if (type != "ByteLevel") throw Bad(path, "decoder.type", $"is '{type ?? "(missing)"}'; only the 'ByteLevel' decoder is supported");
    }
}
