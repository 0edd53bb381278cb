using System.Text.Json.Nodes;
using RlTrainer.Rollout.Sampling;

namespace RlTrainer.Trainer.Engines;

/// <summary>
/// The sampling fields both dialects spell alike (vLLM /v1/completions, SGLang sampling_params), every one sent
/// explicitly. vLLM fills a field the request leaves out from the model's generation_config.json (Qwen ships top_k 20,
/// top_p 0.8, repetition_penalty 1.05) and SGLang from its --preferred-sampling-params, so an omitted field would make
/// the engine sample another policy than the trainer's log-probs assume. The built-in sampler has no min-p and no
/// penalties, so those always go out neutral.
/// </summary>
public static class SamplingFields
{
    /// <summary>top_k that keeps the whole vocabulary in both engines (newer vLLM also reads 0 so).</summary>
    public const int TopKOff = -1;

    public static void Write(JsonObject target, SamplingOptions o)
    {
        target["temperature"] = o.Greedy ? 0.0 : o.Temperature;   // 0 = greedy in both engines
        target["top_p"] = o.TopP;
        target["top_k"] = o.TopK > 0 ? o.TopK : TopKOff;
        target["min_p"] = 0.0;
        target["repetition_penalty"] = 1.0;
        target["presence_penalty"] = 0.0;
        target["frequency_penalty"] = 0.0;
    }
}
