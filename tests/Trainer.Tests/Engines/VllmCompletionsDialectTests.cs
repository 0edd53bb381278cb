using System.Text.Json.Nodes;
using RlTrainer.Rollout.Sampling;
using RlTrainer.Trainer.Engines;

namespace RlTrainer.Trainer.Tests.Engines;

public class VllmCompletionsDialectTests
{
    private static readonly PromptJob Job = new(new[] { 5, 6, 7 }, N: 4, Seed: 123);

    [Fact]
    public void GenerateBody_SendsEveryNeutralSamplingField()
    {
        var body = new VllmCompletionsDialect("").GenerateBody(Job, new SamplingOptions { Temperature = 0.7 });
        // Left out, vLLM would take Qwen's generation_config.json: top_k 20, top_p 0.8, repetition_penalty 1.05.
        Assert.Equal(0.7, (double)body["temperature"]!);
        Assert.Equal(1.0, (double)body["top_p"]!);
        Assert.Equal(-1, (int)body["top_k"]!);
        Assert.Equal(0.0, (double)body["min_p"]!);
        Assert.Equal(1.0, (double)body["repetition_penalty"]!);
        Assert.Equal(0.0, (double)body["presence_penalty"]!);
        Assert.Equal(0.0, (double)body["frequency_penalty"]!);
        Assert.Equal(4, (int)body["n"]!);
    }

    [Fact]
    public void GenerateBody_CarriesTheTrainersTopKTopPAndGreedy()
    {
        var body = new VllmCompletionsDialect("").GenerateBody(Job, new SamplingOptions { TopK = 50, TopP = 0.9, Greedy = true });
        Assert.Equal(50, (int)body["top_k"]!);
        Assert.Equal(0.9, (double)body["top_p"]!);
        Assert.Equal(0.0, (double)body["temperature"]!);
    }

    [Fact]
    public void GenerateBody_SendsTheSeedOnlyWithSendSeeds()
    {
        Assert.False(new VllmCompletionsDialect("").GenerateBody(Job, new SamplingOptions()).ContainsKey("seed"));
        Assert.Equal(123, (int)new VllmCompletionsDialect("", sendSeeds: true).GenerateBody(Job, new SamplingOptions())["seed"]!);
    }

    [Fact]
    public void CacheReset_AcceptsTheEmpty200OfOlderServers_AndRefusesSuccessFalse()
    {
        var d = new VllmCompletionsDialect("");
        Assert.Equal("/reset_prefix_cache", d.CacheResetPath);
        Assert.Null(d.CacheResetFailure(null));
        Assert.Null(d.CacheResetFailure(new JsonObject { ["success"] = true }));
        Assert.Contains("prefix cache", d.CacheResetFailure(new JsonObject { ["success"] = false }));
    }

    [Fact]
    public void ParseInfo_ReadsTheVersion_AndRejectsOtherAnswers()
    {
        var d = new VllmCompletionsDialect("");
        Assert.Equal("0.16.0", d.ParseInfo(JsonNode.Parse("{\"version\": \"0.16.0\"}")).Version);
        Assert.Throws<FormatException>(() => d.ParseInfo(JsonNode.Parse("{\"model_path\": \"m\"}")));
        Assert.Throws<FormatException>(() => d.ParseInfo(null));
    }
}
