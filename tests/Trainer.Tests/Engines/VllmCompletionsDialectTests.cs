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
        FakeEngines.AssertSamplingFields(body, temperature: 0.7, topP: 1.0);
        Assert.Equal(4, (int)body["n"]!);
    }

    [Fact]
    public void GenerateBody_CarriesTheTrainersTopKTopPAndGreedy()
    {
        var body = new VllmCompletionsDialect("").GenerateBody(Job, new SamplingOptions { TopK = 50, TopP = 0.9, Greedy = true });
        FakeEngines.AssertSamplingFields(body, temperature: 0.0, topP: 0.9, topK: 50);
    }

    [Fact]
    public void GenerateBody_SendsTheSeedOnlyWithSendSeeds()
    {
        Assert.False(new VllmCompletionsDialect("").GenerateBody(Job, new SamplingOptions()).ContainsKey("seed"));
        Assert.Equal(123, (int)new VllmCompletionsDialect("", sendSeeds: true).GenerateBody(Job, new SamplingOptions())["seed"]!);
    }

    [Fact]
    public void AdapterCalls_UseVllmsLoraEndpoints_AndRequestsNameTheAdapterAsTheModel()
    {
        var d = new VllmCompletionsDialect("base");
        Assert.Equal("base", (string)d.GenerateBody(Job, new SamplingOptions())["model"]!);
        Assert.Equal("rltrainer-step-000003", (string)d.GenerateBody(Job, new SamplingOptions(), "rltrainer-step-000003")["model"]!);
        var (path, body) = d.LoadAdapter("a1", "/sync/step-000003");
        Assert.Equal("/v1/load_lora_adapter", path);
        Assert.Equal("""{"lora_name":"a1","lora_path":"/sync/step-000003"}""", body.ToJsonString());
        Assert.Null(d.AdapterLoadFailure(JsonValue.Create("Success: LoRA adapter 'a1' added successfully.")));
        (path, body) = d.UnloadAdapter("a1");
        Assert.Equal(("/v1/unload_lora_adapter", """{"lora_name":"a1"}"""), (path, body.ToJsonString()));
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
