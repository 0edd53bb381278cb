using System.Text.Json;
using System.Text.Json.Nodes;
using RlTrainer.Rollout.Sampling;

namespace RlTrainer.Trainer.Serving;

/// <summary>Typed reads of request JSON fields that fail with <see cref="ServeRequestException"/> naming the field.</summary>
internal static class RequestFields
{
    /// <summary>The sampling fields both dialects share; temperature 0 means greedy, as in vLLM and SGLang.</summary>
    /// <param name="maxTokensField">"max_tokens" (vLLM) or "max_new_tokens" (SGLang).</param>
    public static SamplingOptions Sampling(JsonNode? node, string maxTokensField, int defaultMaxTokens, IEnumerable<int> eosTokenIds)
    {
        double temperature = Get(node, "temperature", 1.0);
        return new SamplingOptions
        {
            MaxNewTokens = Get(node, maxTokensField, defaultMaxTokens),
            Greedy = temperature == 0,
            Temperature = temperature == 0 ? 1.0 : temperature,
            TopP = Get(node, "top_p", 1.0),
            TopK = Math.Max(0, Get(node, "top_k", 0)),
            StopStrings = Strings(node, "stop"),
            EosTokenIds = eosTokenIds.Concat(node?["stop_token_ids"] is { } ids ? Ints(ids, "stop_token_ids") : Array.Empty<int>()).ToHashSet(),
        };
    }

    public static T Get<T>(JsonNode? body, string field, T fallback)
    {
        var node = body?[field];
        if (node is null) return fallback;
        try { return node.GetValue<T>(); }
        catch (Exception e) when (e is InvalidOperationException or FormatException or JsonException)
        {
            throw new ServeRequestException($"field \"{field}\" = {node.ToJsonString()} is not a {typeof(T).Name}.");
        }
    }

    /// <summary>A string or a list of strings (OpenAI "stop").</summary>
    public static IReadOnlyList<string> Strings(JsonNode? body, string field) => body?[field] switch
    {
        null => Array.Empty<string>(),
        JsonValue v when v.TryGetValue<string>(out var s) => new[] { s },
        JsonArray a => a.Select((x, i) => x?.GetValue<string>() ?? throw new ServeRequestException($"field \"{field}\"[{i}] is null.")).ToArray(),
        var other => throw new ServeRequestException($"field \"{field}\" = {other.ToJsonString()} is neither a string nor a list of strings."),
    };

    public static int[] Ints(JsonNode? node, string field)
    {
        if (node is not JsonArray a) throw new ServeRequestException($"field \"{field}\" must be a list of token ids; got {node?.ToJsonString() ?? "null"}.");
        try { return a.Select(x => x!.GetValue<int>()).ToArray(); }
        catch (Exception e) when (e is InvalidOperationException or FormatException or NullReferenceException)
        {
            throw new ServeRequestException($"field \"{field}\" must be a list of integer token ids; got {a.ToJsonString()}.");
        }
    }

    /// <summary>One prompt (list of ids or text) or a batch of them.</summary>
    public static List<int[]> Prompts(JsonNode? node, string field, Func<string, int[]> encode) => node switch
    {
        JsonValue v when v.TryGetValue<string>(out var s) => new List<int[]> { encode(s) },
        JsonArray { Count: > 0 } a when a[0] is JsonArray => a.Select((x, i) => Ints(x, $"{field}[{i}]")).ToList(),
        JsonArray { Count: > 0 } a when a[0] is JsonValue first && first.TryGetValue<string>(out _) =>
            a.Select(x => encode(x!.GetValue<string>())).ToList(),
        JsonArray a => new List<int[]> { Ints(a, field) },
        _ => throw new ServeRequestException($"field \"{field}\" is missing: give token ids or text."),
    };
}
