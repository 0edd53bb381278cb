using System.Text.Json.Nodes;
using RlTrainer.Rollout.Sampling;

namespace RlTrainer.Trainer.Serving;

/// <summary>
/// The subset of SGLang's native POST /generate that `serve` speaks: input_ids (one list or a batch) or text,
/// sampling_params (one object for all or one per prompt: max_new_tokens (default 128), temperature (0 = greedy),
/// top_p, top_k (-1 or 0 = off), stop, stop_token_ids, sampling_seed; min_p and the penalties only neutral),
/// return_logprob. Answers carry text, output_ids and
/// meta_info {finish_reason {type}, prompt_tokens, completion_tokens, output_token_logprobs [[logprob, id, null]],
/// weight_version}; one object for a single prompt, a list for a batch. lora_path names a LoRA adapter loaded with
/// /load_lora_adapter, for all prompts (a string) or per prompt (a list; null entries sample the launch model); an
/// unknown name is refused with HTTP 400, as SGLang does.
/// </summary>
public static class SglangGenerateApi
{
    public static async Task<JsonNode> GenerateAsync(JsonNode? body, BatchingGenerator generator)
    {
        var tok = generator.Tokenizer;
        var source = body?["input_ids"] is not null ? "input_ids" : "text";
        var prompts = RequestFields.Prompts(body?[source], source, s => tok.Encode(s).ToArray());
        var raw = body?[source];
        bool batch = raw is JsonArray { Count: > 0 } arr && (arr[0] is JsonArray || (arr[0] is JsonValue fv && fv.TryGetValue<string>(out _)));
        var parameters = body?["sampling_params"] switch
        {
            JsonArray list when list.Count == prompts.Count => list.ToList(),
            JsonArray list => throw new ServeRequestException($"field \"sampling_params\" has {list.Count} entries for {prompts.Count} prompts."),
            var one => Enumerable.Repeat(one, prompts.Count).ToList(),
        };
        var adapters = Adapters(body?["lora_path"], prompts.Count, generator);
        bool logprob = RequestFields.Get(body, "return_logprob", false);
        var requests = new List<(GenerationRequest Request, SamplingOptions Options)>();
        for (int i = 0; i < prompts.Count; i++)
        {
            var sp = parameters[i];
            var options = RequestFields.Sampling(sp, "max_new_tokens", 128, tok.EosTokenIds);
            RequestFields.RequireContext(prompts[i].Length, options.MaxNewTokens, generator.ContextLength, "max_new_tokens");
            requests.Add((new GenerationRequest(prompts[i], RequestFields.Get(sp, "sampling_seed", Random.Shared.Next())), options));
        }
        // Prompts with the same settings go out together so they can share decode batches.
        var answers = new JsonNode?[prompts.Count];
        try
        {
            var pending = requests.Select((r, i) => (r, i)).GroupBy(x => (BatchingGenerator.SamplingKey(x.r.Options), adapters[x.i])).Select(async g =>
            {
                var served = await generator.GenerateAsync(g.Select(x => x.r.Request).ToArray(), g.First().r.Options, g.Key.Item2);
                int k = 0;
                foreach (var (r, i) in g) answers[i] = Answer(served[k++], prompts[i].Length, logprob, tok);
            }).ToArray();
            await Task.WhenAll(pending);
        }
        catch (ArgumentException e) { throw new ServeRequestException(e.Message); }
        catch (AdapterNotFoundException e) { throw new ServeRequestException(e.Message); } // unloaded while the request waited
        return batch ? new JsonArray(answers) : answers[0]!;
    }

    /// One adapter name (or null) per prompt, each one the server holds.
    private static string?[] Adapters(JsonNode? field, int prompts, BatchingGenerator generator)
    {
        var names = field switch
        {
            null => new string?[prompts],
            JsonArray list when list.Count == prompts => list.Select((n, i) => n is null ? null
                : n is JsonValue v && v.TryGetValue<string>(out var s) ? s
                : throw new ServeRequestException($"field \"lora_path\"[{i}] is not a string.")).ToArray(),
            JsonArray list => throw new ServeRequestException($"field \"lora_path\" has {list.Count} entries for {prompts} prompts."),
            JsonValue v when v.TryGetValue<string>(out var one) => Enumerable.Repeat<string?>(one, prompts).ToArray(),
            _ => throw new ServeRequestException("field \"lora_path\" is neither a string nor a list."),
        };
        var unknown = names.Where(n => n is not null && !generator.Adapters.ContainsKey(n)).Distinct().ToList();
        if (unknown.Count > 0)
            throw new ServeRequestException($"The following requested LoRA adapters are not loaded: {string.Join(", ", unknown)}. "
                + $"Loaded adapters: {(generator.Adapters.Count == 0 ? "none" : string.Join(", ", generator.Adapters.Keys.Order(StringComparer.Ordinal)))}.");
        return names;
    }

    private static JsonObject Answer(ServedCompletion c, int promptTokens, bool logprob, Rollout.Tokenization.HfTokenizer tok)
    {
        var r = c.Result;
        var meta = new JsonObject
        {
            ["id"] = Guid.NewGuid().ToString("N"),
            ["finish_reason"] = new JsonObject { ["type"] = r.FinishReason.ToApiString() },
            ["prompt_tokens"] = promptTokens,
            ["completion_tokens"] = r.TokenIds.Count,
            ["weight_version"] = c.WeightVersion,
        };
        if (logprob)
            meta["output_token_logprobs"] = new JsonArray(r.TokenIds.Select((id, k) =>
                (JsonNode)new JsonArray((double)r.LogProbs[k], id, null)).ToArray());
        return new JsonObject
        {
            ["text"] = tok.Decode(r.TokenIds, skipSpecialTokens: true),
            ["output_ids"] = new JsonArray(r.TokenIds.Select(id => (JsonNode)id).ToArray()),
            ["meta_info"] = meta,
        };
    }
}
