using System.Text.Json.Nodes;
using RlTrainer.Rollout.Sampling;
using RlTrainer.Trainer.Engines;

namespace RlTrainer.Trainer.Serving;

/// <summary>
/// The subset of vLLM's OpenAI-compatible POST /v1/completions that `serve` speaks: prompt as token ids (or text, or
/// a batch of either), n, max_tokens (default 16), temperature (0 = greedy), top_p, top_k (-1 or 0 = off), seed, stop,
/// stop_token_ids, logprobs, return_tokens_as_token_ids; min_p, repetition_penalty, presence_penalty and
/// frequency_penalty only at their neutral values. Stop strings stay in the output (vLLM's
/// include_stop_str_in_output); the eos ids of the tokenizer always end a row. top_logprobs lists only the sampled
/// token. A prompt plus max_tokens beyond the context is refused (HTTP 400). Not supported: streaming, echo, best_of,
/// suffix, logit_bias. "model" names the served model or a LoRA adapter loaded with /v1/load_lora_adapter; any other
/// name is refused with HTTP 404, as vLLM does.
/// </summary>
public static class VllmCompletionsApi
{
    /// <param name="modelName">The "model" of the answer: the served model's name, or the adapter's.</param>
    /// <param name="adapter">The LoRA adapter to sample with; null for the launch model.</param>
    public static async Task<JsonObject> CompleteAsync(JsonNode? body, BatchingGenerator generator, string modelName, string? adapter = null)
    {
        var tok = generator.Tokenizer;
        var prompts = RequestFields.Prompts(body?["prompt"], "prompt", s => tok.Encode(s).ToArray());
        int n = RequestFields.Get(body, "n", 1);
        if (n < 1) throw new ServeRequestException($"field \"n\" = {n} must be at least 1.");
        foreach (var unsupported in new[] { "stream", "echo", "best_of", "suffix" })
            if (body?[unsupported] is JsonValue v && !(v.TryGetValue<bool>(out var b) && !b) && !(unsupported == "best_of" && v.TryGetValue<int>(out var k) && k <= n))
                throw new ServeRequestException($"field \"{unsupported}\" is not supported by rltrainer serve.");
        var options = RequestFields.Sampling(body, "max_tokens", 16, tok.EosTokenIds);
        foreach (var p in prompts) RequestFields.RequireContext(p.Length, options.MaxNewTokens, generator.ContextLength, "max_tokens");
        int seed = RequestFields.Get(body, "seed", Random.Shared.Next());
        int? logprobs = body?["logprobs"] is null ? null : RequestFields.Get(body, "logprobs", 0);
        bool asIds = RequestFields.Get(body, "return_tokens_as_token_ids", false);
        var requests = prompts.SelectMany(p => Enumerable.Range(0, n).Select(j => new GenerationRequest(p, PromptJob.RowSeed(seed, j)))).ToArray();
        IReadOnlyList<ServedCompletion> results;
        try { results = await generator.GenerateAsync(requests, options, adapter); }
        catch (ArgumentException e) { throw new ServeRequestException(e.Message); }
        catch (AdapterNotFoundException e) { throw UnknownModel(e.Name); } // unloaded while the request waited

        var choices = new JsonArray();
        for (int i = 0; i < results.Count; i++)
        {
            var r = results[i].Result;
            var choice = new JsonObject
            {
                ["index"] = i,
                ["text"] = tok.Decode(r.TokenIds, skipSpecialTokens: true),
                ["finish_reason"] = r.FinishReason.ToApiString(),
            };
            if (logprobs is not null)
            {
                var tokens = r.TokenIds.Select(id => (JsonNode)(asIds ? VllmCompletionsDialect.TokenIdPrefix + id : tok.Decode(new[] { id }))).ToArray();
                choice["logprobs"] = new JsonObject
                {
                    ["tokens"] = new JsonArray(tokens),
                    ["token_logprobs"] = new JsonArray(r.LogProbs.Select(v => (JsonNode)(double)v).ToArray()),
                    ["top_logprobs"] = logprobs > 0
                        ? new JsonArray(tokens.Select((t, k) => (JsonNode)new JsonObject { [t!.GetValue<string>()] = (double)r.LogProbs[k] }).ToArray())
                        : null,
                };
            }
            choices.Add(choice);
        }
        long promptTokens = prompts.Sum(p => (long)p.Length) * n, completionTokens = results.Sum(r => (long)r.Result.TokenIds.Count);
        return new JsonObject
        {
            ["id"] = "cmpl-" + Guid.NewGuid().ToString("N"),
            ["object"] = "text_completion",
            ["created"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            ["model"] = modelName,
            ["choices"] = choices,
            ["usage"] = new JsonObject { ["prompt_tokens"] = promptTokens, ["completion_tokens"] = completionTokens, ["total_tokens"] = promptTokens + completionTokens },
            ["weight_version"] = results.Count > 0 ? results[0].WeightVersion : null,
        };
    }

    /// <summary>vLLM's answer to a "model" it does not serve: 404 NotFoundError.</summary>
    public static ServeRequestException UnknownModel(string name) =>
        new($"The model `{name}` does not exist.", 404, "NotFoundError");
}
