using System.Text.Json.Nodes;
using RlTrainer.Rollout.Model;
using RlTrainer.Trainer.Engines;

namespace RlTrainer.Trainer.Tests.Engines;

/// <summary>Pieces the engine tests share: options for stub engines, a tiny policy to sync, and well-formed answers.</summary>
internal static class FakeEngines
{
    public static readonly string TokenizerDir = RepoPaths.Of("data", "models", "tiny-math");

    public static RolloutEngineOptions Options(EngineDialect dialect, params string[] urls) => new()
    {
        Kind = RolloutEngineKind.Remote, Urls = urls.ToList(), Dialect = dialect, MaxAttempts = 3, RetryBackoffSeconds = 0.01,
        Balancing = EngineBalancing.RoundRobin, TimeoutSeconds = 5, ReloadTimeoutSeconds = 5, ProbeTimeoutSeconds = 5,
    };

    /// <summary>A random 1-layer model small enough to write to SyncDir in milliseconds.</summary>
    public static CausalLm Policy()
    {
        var config = new ModelConfig
        {
            ModelType = "qwen2", VocabSize = 512, HiddenSize = 16, IntermediateSize = 32, NumHiddenLayers = 1,
            NumAttentionHeads = 2, NumKeyValueHeads = 1, HeadDim = 8, QkvBias = true, TieWordEmbeddings = true,
            EosTokenIds = new List<int> { 511 },
        };
        var m = new CausalLm(config, ComputeDevice.Cpu);
        ModelInitializer.Randomize(m, 3, 0.05);
        return m;
    }

    /// <summary>A vLLM /v1/completions answer with <paramref name="n"/> one-token choices (token 9, log-prob −0.5).</summary>
    public static JsonObject VllmAnswer(int n) => new()
    {
        ["choices"] = new JsonArray(Enumerable.Range(0, n).Select(i => (JsonNode)new JsonObject
        {
            ["index"] = i,
            ["finish_reason"] = "length",
            ["logprobs"] = new JsonObject
            {
                ["tokens"] = new JsonArray(VllmCompletionsDialect.TokenIdPrefix + "9"),
                ["token_logprobs"] = new JsonArray(-0.5),
            },
        }).ToArray()),
    };

    /// <summary>Checks the sampling fields every request must spell out (vLLM would otherwise take the model's
    /// generation_config.json, e.g. Qwen's top_k 20, top_p 0.8, repetition_penalty 1.05): the trainer's temperature,
    /// top-p and top-k (-1 = off), and neutral min-p and penalties.</summary>
    public static void AssertSamplingFields(JsonNode fields, double temperature, double topP, int topK = -1)
    {
        Assert.Equal(temperature, (double)fields["temperature"]!);
        Assert.Equal(topP, (double)fields["top_p"]!);
        Assert.Equal(topK, (int)fields["top_k"]!);
        Assert.Equal(0.0, (double)fields["min_p"]!);
        Assert.Equal(1.0, (double)fields["repetition_penalty"]!);
        Assert.Equal(0.0, (double)fields["presence_penalty"]!);
        Assert.Equal(0.0, (double)fields["frequency_penalty"]!);
    }
}
