using System.Text.Json.Nodes;
using RlTrainer.Rollout.Sampling;

namespace RlTrainer.Trainer.Engines;

/// <summary>
/// SGLang's native POST /generate: a batch of n copies of the prompt as input_ids, one sampling_params object per
/// copy (max_new_tokens, stop, stop_token_ids, no_stop_trim, every field of <see cref="SamplingFields"/>, and its own
/// sampling_seed only when seeds are sent), return_logprob. Each answer's meta_info.output_token_logprobs holds one
/// [logprob, token_id, text] triple per sampled token; meta_info.finish_reason.type is "stop" or "length".
/// Weights are reloaded with POST /update_weights_from_disk {"model_path", "weight_version"}, whose flush_cache
/// (default true) already drops the radix cache. A LoRA adapter is loaded with POST /load_lora_adapter
/// {"lora_name", "lora_path"} (server started with --enable-lora; answer {"success", "error_message",
/// "loaded_adapters"}), dropped with POST /unload_lora_adapter {"lora_name"}, and sampled by naming it in "lora_path",
/// one entry per prompt of the batch. GET /get_server_info gives the version and the server arguments.
/// </summary>
/// <param name="sendSeeds">Send "sampling_seed" (RolloutEngine:SendSeeds).</param>
public sealed class SglangGenerateDialect(bool sendSeeds = false) : IEngineDialect
{
    public string GeneratePath => "/generate";

    public string? CacheResetPath => null;

    public string InfoPath => "/get_server_info";

    public JsonObject GenerateBody(PromptJob job, SamplingOptions o, string? adapter = null)
    {
        var prompt = job.PromptIds.Select(i => (JsonNode)i).ToArray();
        var inputs = new JsonArray();
        var parameters = new JsonArray();
        for (int j = 0; j < job.N; j++)
        {
            inputs.Add(new JsonArray(prompt.Select(p => p!.DeepClone()).ToArray()));
            var sp = new JsonObject
            {
                ["max_new_tokens"] = o.MaxNewTokens,
                ["stop"] = new JsonArray(o.StopStrings.Select(s => (JsonNode)s).ToArray()),
                ["stop_token_ids"] = new JsonArray(o.EosTokenIds.Order().Select(i => (JsonNode)i).ToArray()),
                ["no_stop_trim"] = true,
            };
            SamplingFields.Write(sp, o);
            if (sendSeeds) sp["sampling_seed"] = PromptJob.RowSeed(job.Seed, j);
            parameters.Add(sp);
        }
        var body = new JsonObject { ["input_ids"] = inputs, ["sampling_params"] = parameters, ["return_logprob"] = true };
        if (adapter is not null) body["lora_path"] = new JsonArray(Enumerable.Range(0, job.N).Select(_ => (JsonNode)adapter).ToArray());
        return body;
    }

    public IReadOnlyList<EngineReply> ParseGenerate(JsonNode? response, PromptJob job)
    {
        var items = response switch
        {
            JsonArray a => a.ToList(),
            JsonObject o => new List<JsonNode?> { o },
            _ => throw new FormatException("SGLang /generate answer is neither an object nor an array."),
        };
        if (items.Count != job.N) throw new FormatException($"SGLang /generate answered {items.Count} items; sent {job.N} prompts.");
        return items.Select((item, i) =>
        {
            var meta = item?["meta_info"] ?? throw new FormatException($"[{i}].meta_info is missing.");
            var triples = meta["output_token_logprobs"] as JsonArray
                ?? throw new FormatException($"[{i}].meta_info.output_token_logprobs is missing (the server ignored \"return_logprob\").");
            var ids = new int[triples.Count];
            var values = new float[triples.Count];
            for (int k = 0; k < triples.Count; k++)
            {
                if (triples[k] is not JsonArray { Count: >= 2 } t || t[0] is null || t[1] is null)
                    throw new FormatException($"[{i}].meta_info.output_token_logprobs[{k}] is not [logprob, token_id, ...].");
                values[k] = (float)t[0]!.GetValue<double>();
                ids[k] = t[1]!.GetValue<int>();
            }
            var finish = meta["finish_reason"]?["type"]?.ToString();
            var reason = VllmCompletionsDialect.ParseFinish(finish, i);
            return new EngineReply(new GenerationResult(ids, values, reason), WeightVersionLabel.Parse(meta["weight_version"]?.ToString()));
        }).ToList();
    }

    public (string Path, JsonObject Body) LoadWeights(string dir, int version) =>
        ("/update_weights_from_disk", new JsonObject { ["model_path"] = dir, ["weight_version"] = WeightVersionLabel.Label(version) });

    public string? LoadFailure(JsonNode? response) => Refusal(response, "message");

    public (string Path, JsonObject Body) LoadAdapter(string name, string dir) =>
        ("/load_lora_adapter", new JsonObject { ["lora_name"] = name, ["lora_path"] = dir });

    public string? AdapterLoadFailure(JsonNode? response) => Refusal(response, "error_message");

    public (string Path, JsonObject Body) UnloadAdapter(string name) =>
        ("/unload_lora_adapter", new JsonObject { ["lora_name"] = name });

    public string? CacheResetFailure(JsonNode? response) => null;

    /// The answer is the server arguments plus "version"; enable_deterministic_inference exists only in builds that
    /// take per-request seeds.
    public EngineInfo ParseInfo(JsonNode? response)
    {
        if (response is not JsonObject o || o["version"] is not JsonValue v || !v.TryGetValue<string>(out var version))
            throw new FormatException($"GET /get_server_info answered {Truncate(response?.ToJsonString() ?? "nothing")}, not SGLang's server arguments with \"version\"");
        bool? deterministic = o["enable_deterministic_inference"] is JsonValue d && d.TryGetValue<bool>(out var flag) ? flag : null;
        return new EngineInfo(version, deterministic);
    }

    /// Null for {"success": true}, else the answer's message field.
    private static string? Refusal(JsonNode? response, string messageField) =>
        response is JsonObject o && o["success"]?.GetValue<bool>() == true
            ? null
            : (response as JsonObject)?[messageField]?.ToString() ?? "no \"success\": true in the answer";

    private static string Truncate(string s) => s.Length <= 200 ? s : s[..200] + "…";
}
