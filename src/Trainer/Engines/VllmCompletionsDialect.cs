using System.Globalization;
using System.Text.Json.Nodes;
using RlTrainer.Rollout.Sampling;

namespace RlTrainer.Trainer.Engines;

/// <summary>
/// vLLM's OpenAI-compatible POST /v1/completions: the prompt as a list of token ids, n samples, logprobs=1 (the
/// sampled token's log-prob is always included), return_tokens_as_token_ids so each sampled token comes back as
/// "token_id:ID", stop strings (kept in the output), stop_token_ids, max_tokens, every sampling field of
/// <see cref="SamplingFields"/>, and seed only when seeds are sent. Weights are reloaded with vLLM's dev-mode POST
/// /collective_rpc (server started with VLLM_SERVER_DEV_MODE=1) calling the workers' reload_weights(weights_path=DIR),
/// then the prefix cache is reset with the dev-mode POST /reset_prefix_cache: a reload keeps the cached blocks of the
/// old weights. A LoRA adapter is loaded with POST /v1/load_lora_adapter {"lora_name", "lora_path"} (server started
/// with --enable-lora and VLLM_ALLOW_RUNTIME_LORA_UPDATING=True; 200 with a plain-text "Success: ..." body), dropped
/// with POST /v1/unload_lora_adapter {"lora_name"}, and sampled by naming it in "model"; its prefix-cache blocks are
/// keyed by the adapter, so no cache reset follows. GET /version identifies the server.
/// </summary>
/// <param name="sendSeeds">Send "seed" (RolloutEngine:SendSeeds).</param>
public sealed class VllmCompletionsDialect(string modelName, bool sendSeeds = false) : IEngineDialect
{
    public const string TokenIdPrefix = "token_id:";

    public string GeneratePath => "/v1/completions";

    public string? CacheResetPath => "/reset_prefix_cache";

    public string InfoPath => "/version";

    public JsonObject GenerateBody(PromptJob job, SamplingOptions o, string? adapter = null)
    {
        var body = new JsonObject
        {
            ["prompt"] = new JsonArray(job.PromptIds.Select(i => (JsonNode)i).ToArray()),
            ["n"] = job.N,
            ["max_tokens"] = o.MaxNewTokens,
            ["logprobs"] = 1,
            ["return_tokens_as_token_ids"] = true,
            ["include_stop_str_in_output"] = true,
            ["stop"] = new JsonArray(o.StopStrings.Select(s => (JsonNode)s).ToArray()),
            ["stop_token_ids"] = new JsonArray(o.EosTokenIds.Order().Select(i => (JsonNode)i).ToArray()),
        };
        SamplingFields.Write(body, o);
        if (sendSeeds) body["seed"] = job.Seed;   // vLLM seeds sample j of the n with seed + j
        if (adapter is not null) body["model"] = adapter;   // vLLM serves a loaded adapter as a model of its own
        else if (modelName.Length > 0) body["model"] = modelName;
        return body;
    }

    public IReadOnlyList<EngineReply> ParseGenerate(JsonNode? response, PromptJob job)
    {
        var choices = response?["choices"] as JsonArray ?? throw new FormatException("vLLM completions answer has no \"choices\" array.");
        if (choices.Count != job.N) throw new FormatException($"vLLM completions answer has {choices.Count} choices; asked for n = {job.N}.");
        int? version = WeightVersionLabel.Parse(response!["weight_version"]?.ToString());
        var replies = new EngineReply[job.N];
        for (int c = 0; c < choices.Count; c++)
        {
            var choice = choices[c] ?? throw new FormatException($"choices[{c}] is null.");
            int index = choice["index"]?.GetValue<int>() ?? c;
            if (index < 0 || index >= job.N || replies[index] is not null) throw new FormatException($"choices[{c}].index = {index} is out of range or repeated.");
            var lp = choice["logprobs"] ?? throw new FormatException($"choices[{c}].logprobs is missing (the server ignored \"logprobs\").");
            var tokens = lp["tokens"] as JsonArray ?? throw new FormatException($"choices[{c}].logprobs.tokens is missing.");
            var logprobs = lp["token_logprobs"] as JsonArray ?? throw new FormatException($"choices[{c}].logprobs.token_logprobs is missing.");
            if (tokens.Count != logprobs.Count) throw new FormatException($"choices[{c}]: {tokens.Count} tokens but {logprobs.Count} token_logprobs.");
            var ids = tokens.Select((t, k) => ParseTokenId(t?.ToString(), c, k)).ToArray();
            var values = logprobs.Select((v, k) => v?.GetValue<double>() is { } d ? (float)d
                : throw new FormatException($"choices[{c}].logprobs.token_logprobs[{k}] is null.")).ToArray();
            replies[index] = new EngineReply(new GenerationResult(ids, values, ParseFinish(choice["finish_reason"]?.ToString(), c)), version);
        }
        return replies;
    }

    public (string Path, JsonObject Body) LoadWeights(string dir, int version) =>
        ("/collective_rpc", new JsonObject
        {
            ["method"] = "reload_weights",
            ["kwargs"] = new JsonObject { ["weights_path"] = dir },
        });

    public string? LoadFailure(JsonNode? response) => null; // collective_rpc answers an error status when a worker raised

    public (string Path, JsonObject Body) LoadAdapter(string name, string dir) =>
        ("/v1/load_lora_adapter", new JsonObject { ["lora_name"] = name, ["lora_path"] = dir });

    public string? AdapterLoadFailure(JsonNode? response) => null; // a failed load answers 4xx/5xx with an ErrorResponse

    public (string Path, JsonObject Body) UnloadAdapter(string name) =>
        ("/v1/unload_lora_adapter", new JsonObject { ["lora_name"] = name });

    /// Older releases answer an empty 200; newer ones {"success": bool}, false while running requests still
    /// hold cached blocks.
    public string? CacheResetFailure(JsonNode? response) =>
        response is JsonObject o && o["success"] is JsonValue v && v.TryGetValue<bool>(out var ok) && !ok
            ? "the engine kept its prefix cache (\"success\": false: blocks still held by running requests)"
            : null;

    public EngineInfo ParseInfo(JsonNode? response) =>
        response is JsonObject o && o["version"] is JsonValue v && v.TryGetValue<string>(out var version)
            ? new EngineInfo(version)
            : throw new FormatException($"GET /version answered {response?.ToJsonString() ?? "nothing"}, not vLLM's {{\"version\": ...}}");

    private static int ParseTokenId(string? token, int choice, int k)
    {
        if (token is not null && token.StartsWith(TokenIdPrefix, StringComparison.Ordinal)
            && int.TryParse(token.AsSpan(TokenIdPrefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var id))
            return id;
        throw new FormatException($"choices[{choice}].logprobs.tokens[{k}] = '{token}' is not \"{TokenIdPrefix}ID\" (start vLLM with --return-tokens-as-token-ids or a version that honours the request field).");
    }

    internal static FinishReason ParseFinish(string? reason, int choice) => reason switch
    {
        "stop" => FinishReason.Stop,
        "length" => FinishReason.Length,
        _ => throw new FormatException($"completion {choice}: finish reason '{reason}' (neither stop nor length): the request did not complete."),
    };
}
