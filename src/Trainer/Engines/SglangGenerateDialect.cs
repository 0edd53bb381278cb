using System.Text.Json.Nodes;
using RlTrainer.Rollout.Sampling;

namespace RlTrainer.Trainer.Engines;

/// <summary>
/// SGLang's native POST /generate: a batch of n copies of the prompt as input_ids, one sampling_params object per
/// copy (each with its own sampling_seed), return_logprob. Each answer's meta_info.output_token_logprobs holds one
/// [logprob, token_id, text] triple per sampled token; meta_info.finish_reason.type is "stop" or "length".
/// Weights are reloaded with POST /update_weights_from_disk {"model_path", "weight_version"}.
/// </summary>
public sealed class SglangGenerateDialect : IEngineDialect
{
    public string GeneratePath => "/generate";

    public JsonObject GenerateBody(PromptJob job, SamplingOptions o)
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
                ["temperature"] = o.Greedy ? 0.0 : o.Temperature,
                ["top_p"] = o.TopP,
                ["stop"] = new JsonArray(o.StopStrings.Select(s => (JsonNode)s).ToArray()),
                ["stop_token_ids"] = new JsonArray(o.EosTokenIds.Order().Select(i => (JsonNode)i).ToArray()),
                ["no_stop_trim"] = true,
                ["sampling_seed"] = PromptJob.RowSeed(job.Seed, j),
            };
            if (o.TopK > 0) sp["top_k"] = o.TopK;
            parameters.Add(sp);
        }
        return new JsonObject { ["input_ids"] = inputs, ["sampling_params"] = parameters, ["return_logprob"] = true };
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

    public string? LoadFailure(JsonNode? response) =>
        response?["success"]?.GetValue<bool>() == true ? null : response?["message"]?.ToString() ?? "no \"success\": true in the answer";
}
