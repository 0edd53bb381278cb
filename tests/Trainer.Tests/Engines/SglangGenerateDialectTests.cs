using System.Text.Json.Nodes;
using RlTrainer.Rollout.Sampling;
using RlTrainer.Trainer.Engines;

namespace RlTrainer.Trainer.Tests.Engines;

public class SglangGenerateDialectTests
{
    private static readonly PromptJob Job = new(new[] { 5, 6, 7 }, N: 3, Seed: 123);

    [Fact]
    public void GenerateBody_EverySamplingParamsCarriesTheNeutralFields_AndNoSeedByDefault()
    {
        var body = new SglangGenerateDialect().GenerateBody(Job, new SamplingOptions { Temperature = 0.6, TopP = 0.95 });
        var all = body["sampling_params"]!.AsArray();
        Assert.Equal(3, all.Count);
        Assert.Equal(3, body["input_ids"]!.AsArray().Count);
        foreach (var sp in all.Select(x => x!.AsObject()))
        {
            FakeEngines.AssertSamplingFields(sp, temperature: 0.6, topP: 0.95);
            Assert.False(sp.ContainsKey("sampling_seed"));
        }
    }

    [Fact]
    public void GenerateBody_WithSendSeeds_GivesEachCopyItsRowSeed()
    {
        var body = new SglangGenerateDialect(sendSeeds: true).GenerateBody(Job, new SamplingOptions());
        var seeds = body["sampling_params"]!.AsArray().Select(sp => (int)sp!["sampling_seed"]!).ToArray();
        Assert.Equal(Enumerable.Range(0, 3).Select(j => PromptJob.RowSeed(123, j)), seeds);
        Assert.Equal(123, seeds[0]);
        Assert.Equal(3, seeds.Distinct().Count());
    }

    [Fact]
    public void ParseInfo_ReadsVersionAndDeterministicInference()
    {
        var d = new SglangGenerateDialect();
        var info = d.ParseInfo(JsonNode.Parse("{\"version\": \"0.5.4\", \"enable_deterministic_inference\": true, \"tp_size\": 1}"));
        Assert.Equal(new EngineInfo("0.5.4", true), info);
        Assert.Null(d.ParseInfo(JsonNode.Parse("{\"version\": \"0.4.0\"}")).DeterministicInference);
        Assert.Throws<FormatException>(() => d.ParseInfo(JsonNode.Parse("{\"detail\": \"Not Found\"}")));
    }

    [Fact]
    public void AdapterCalls_UseSglangsLoraEndpoints_AndEveryCopyNamesTheAdapterInLoraPath()
    {
        var d = new SglangGenerateDialect();
        var job = new PromptJob(new[] { 5, 6 }, N: 3, Seed: 1);
        Assert.False(d.GenerateBody(job, new SamplingOptions()).ContainsKey("lora_path"));
        Assert.Equal("""["a1","a1","a1"]""", d.GenerateBody(job, new SamplingOptions(), "a1")["lora_path"]!.ToJsonString());
        var (path, body) = d.LoadAdapter("a1", "/sync/step-000003");
        Assert.Equal(("/load_lora_adapter", """{"lora_name":"a1","lora_path":"/sync/step-000003"}"""), (path, body.ToJsonString()));
        Assert.Null(d.AdapterLoadFailure(JsonNode.Parse("""{"success": true, "error_message": "", "loaded_adapters": {"a1": "/sync/step-000003"}}""")));
        Assert.Equal("LoRA is not enabled", d.AdapterLoadFailure(JsonNode.Parse("""{"success": false, "error_message": "LoRA is not enabled"}""")));
        Assert.Equal("/unload_lora_adapter", d.UnloadAdapter("a1").Path);
    }

    [Fact]
    public void TheLoadFlushesTheCache_SoNoResetCall()
    {
        var d = new SglangGenerateDialect();
        Assert.Null(d.CacheResetPath);
        Assert.Null(d.LoadFailure(new JsonObject { ["success"] = true, ["message"] = "ok" }));
        Assert.Equal("no such file", d.LoadFailure(new JsonObject { ["success"] = false, ["message"] = "no such file" }));
    }
}
