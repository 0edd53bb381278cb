using System.Text.Json;

namespace RlTrainer.Rollout.Tokenization;

/// <summary>What tokenizer_config.json says about special-token strings and the chat template.</summary>
internal sealed record TokenizerConfigValues(string? ChatTemplate, string? BosToken, string? EosToken, string? PadToken);

/// <summary>What generation_config.json says about special-token ids.</summary>
internal sealed record GenerationConfigValues(IReadOnlyList<int> EosTokenIds, int? PadTokenId);

/// <summary>Reads the two optional JSON files beside tokenizer.json that name the special tokens.</summary>
internal static class TokenizerConfigReader
{
    public static TokenizerConfigValues ReadTokenizerConfig(string path)
    {
        if (!File.Exists(path)) return new TokenizerConfigValues(null, null, null, null);
        using var document = TokenizerJsonReader.ParseJson(path);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object) throw TokenizerJsonReader.Bad(path, "(root)", "is not a JSON object");
        return new TokenizerConfigValues(
            ReadChatTemplate(root, path),
            TokenString(root, "bos_token", path),
            TokenString(root, "eos_token", path),
            TokenString(root, "pad_token", path));
    }

    public static GenerationConfigValues ReadGenerationConfig(string path)
    {
        if (!File.Exists(path)) return new GenerationConfigValues(Array.Empty<int>(), null);
        using var document = TokenizerJsonReader.ParseJson(path);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object) throw TokenizerJsonReader.Bad(path, "(root)", "is not a JSON object");

        var eos = new List<int>();
        if (root.TryGetProperty("eos_token_id", out var eosValue))
        {
            // One id or a list of ids (Llama-3.1 and Qwen2.5 list several).
            if (eosValue.ValueKind == JsonValueKind.Array)
            {
                var index = 0;
                foreach (var item in eosValue.EnumerateArray()) eos.Add(TokenId(item, path, $"eos_token_id[{index++}]"));
            }
            else if (eosValue.ValueKind != JsonValueKind.Null)
            {
                eos.Add(TokenId(eosValue, path, "eos_token_id"));
            }
        }
        int? pad = root.TryGetProperty("pad_token_id", out var padValue) && padValue.ValueKind != JsonValueKind.Null
            ? TokenId(padValue, path, "pad_token_id")
            : null;
        return new GenerationConfigValues(eos, pad);
    }

    private static int TokenId(JsonElement value, string path, string field)
    {
        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var id) && id >= 0) return id;
        throw TokenizerJsonReader.Bad(path, field, $"should be a non-negative integer token id but is {value.GetRawText()}");
    }

    // A token is written either as its string or, in older files, as an AddedToken object with a "content" field.
    private static string? TokenString(JsonElement root, string name, string path)
    {
        if (!root.TryGetProperty(name, out var value)) return null;
        switch (value.ValueKind)
        {
            case JsonValueKind.Null:
                return null;
            case JsonValueKind.String:
                return value.GetString();
            case JsonValueKind.Object when value.TryGetProperty("content", out var content) && content.ValueKind == JsonValueKind.String:
                return content.GetString();
            default:
                throw TokenizerJsonReader.Bad(path, name, $"should be a token string or an object with \"content\" but is {value.GetRawText()}");
        }
    }

    // chat_template is a string, or a list of named templates of which "default" is the one apply_chat_template uses.
    private static string? ReadChatTemplate(JsonElement root, string path)
    {
        if (!root.TryGetProperty("chat_template", out var value) || value.ValueKind == JsonValueKind.Null) return null;
        if (value.ValueKind == JsonValueKind.String) return value.GetString();
        if (value.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in value.EnumerateArray())
            {
                if (item.ValueKind == JsonValueKind.Object
                    && item.TryGetProperty("name", out var name) && name.ValueKind == JsonValueKind.String && name.GetString() == "default"
                    && item.TryGetProperty("template", out var template) && template.ValueKind == JsonValueKind.String)
                    return template.GetString();
            }
            throw TokenizerJsonReader.Bad(path, "chat_template", "is a list without a template named \"default\"");
        }
        throw TokenizerJsonReader.Bad(path, "chat_template", $"should be a string or a list of named templates but is {value.ValueKind}");
    }
}
