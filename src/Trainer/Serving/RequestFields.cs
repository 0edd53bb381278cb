using System.Text.Json;
using System.Text.Json.Nodes;
using RlTrainer.Rollout.Sampling;

namespace RlTrainer.Trainer.Serving;

/// <summary>Typed reads of request JSON fields that fail with <see cref="ServeRequestException"/> naming the field.</summary>
internal static class RequestFields
{
    /// <summary>The sampling fields both dialects share; temperature 0 means greedy, as in vLLM and SGLang.</summary>
    /// <param name="maxTokensField">"max_tokens" (vLLM) or "max_new_tokens" (SGLang).</param>
    /// Fields the built-in sampler cannot honour are refused unless neutral, rather than silently ignored: a client
    /// that asks for a penalty would otherwise get samples from another policy than it assumes.
    public static SamplingOptions Sampling(JsonNode? node, string maxTokensField, int defaultMaxTokens, IEnumerable<int> eosTokenIds)
    {
        double temperature = Get(node, "temperature", 1.0);
        int topK = Get(node, "top_k", 0);
        if (topK < -1) throw new ServeRequestException($"field \"top_k\" = {topK}: give -1 or 0 (off) or a positive count.");
        RequireNeutral(node, "min_p", 0.0);
        RequireNeutral(node, "repetition_penalty", 1.0);
        RequireNeutral(node, "presence_penalty", 0.0);
        RequireNeutral(node, "frequency_penalty", 0.0);
        return new SamplingOptions
        {
            MaxNewTokens = Get(node, maxTokensField, defaultMaxTokens),
            Greedy = temperature == 0,
            Temperature = temperature == 0 ? 1.0 : temperature,
            TopP = Get(node, "top_p", 1.0),
            TopK = Math.Max(0, topK),
            StopStrings = Strings(node, "stop"),
            EosTokenIds = eosTokenIds.Concat(node?["stop_token_ids"] is { } ids ? Ints(ids, "stop_token_ids") : Array.Empty<int>()).ToHashSet(),
        };
    }

    private static void RequireNeutral(JsonNode? node, string field, double neutral)
    {
        double value = Get(node, field, neutral);
        if (value != neutral)
            throw new ServeRequestException($"field \"{field}\" = {value}: rltrainer serve samples without it; send {neutral} or leave it out.");
    }

    /// <summary>Refuses a row whose prompt plus requested tokens exceed the model's context, as vLLM does.</summary>
    public static void RequireContext(int promptTokens, int maxNewTokens, int contextLength, string maxTokensField)
    {
        if ((long)promptTokens + maxNewTokens > contextLength)
            throw new ServeRequestException($"This model's maximum context length is {contextLength} tokens; the prompt has {promptTokens} "
                + $"and \"{maxTokensField}\" asks for {maxNewTokens} more.");
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
