using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using RlTrainer.Rollout.Sampling;
using RlTrainer.Trainer.Engines;
using RlTrainer.Trainer.Tests.Training;
using Reply = RlTrainer.Trainer.Tests.Engines.StubEngineHandler.Reply;

namespace RlTrainer.Trainer.Tests.Engines;

public class RemoteRolloutEngineTests
{
    private static readonly int[] Prompt = { 1, 2, 3 };
    private static readonly GenerationRequest[] TwoSamples = { new(Prompt, 1), new(Prompt, 2) };
    private static readonly SamplingOptions TwoTokens = new() { MaxNewTokens = 2 };

    private static RemoteRolloutEngine Engine(RolloutEngineOptions o, StubEngineHandler? stub = null) =>
        new(o, FakeEngines.TokenizerDir, Directory.CreateTempSubdirectory("sync-").FullName, 0, NullLogger.Instance, stub);

    [Fact]
    public void EveryEngineDown_ThrowsNamingEachUrl()
    {
        var urls = new[] { $"http://127.0.0.1:{InProcessServe.FreePort()}", $"http://127.0.0.1:{InProcessServe.FreePort()}" };
        using var engine = Engine(FakeEngines.Options(EngineDialect.Sglang, urls));
        var e = Assert.Throws<RolloutEngineException>(() => engine.Generate(TwoSamples, TwoTokens, 8, CancellationToken.None));
        Assert.Contains(urls[0] + "/generate", e.Message);
        Assert.Contains(urls[1] + "/generate", e.Message);
        Assert.Contains("3 attempts", e.Message);
    }

    [Fact]
    public void A400_FailsTheStepAtOnceWithTheServersMessage_WithoutRetryOrMarkingTheEngineDown()
    {
        const string message = "This model's maximum context length is 4096 tokens. However, you requested 5000 tokens.";
        var stub = new StubEngineHandler().On("/v1/completions",
            new Reply(HttpStatusCode.BadRequest, new JsonObject { ["object"] = "error", ["message"] = message, ["code"] = 400 }.ToJsonString()));
        using var engine = Engine(FakeEngines.Options(EngineDialect.Vllm, "http://a:8000", "http://b:8000"), stub);
        var e = Assert.Throws<RolloutEngineException>(() => engine.Generate(TwoSamples, TwoTokens, 8, CancellationToken.None));
        Assert.Contains(message, e.Message);
        Assert.Contains("HTTP 400", e.Message);
        Assert.Single(stub.To("/v1/completions"));
        var counters = engine.TakeCounters();
        Assert.Equal(0, counters["remote/retries"]);
        Assert.Equal(0, counters["remote/engines_down"]);
    }

    [Fact]
    public void AgainstServe_StartPasses_AndAPromptBeyondTheContextFailsAtOnceWithServesMessage()
    {
        using var run = new TinyRun(maxSteps: 1);
        using var serve = new InProcessServe(run.ModelDir);
        using var engine = Engine(FakeEngines.Options(EngineDialect.Vllm, serve.Url, serve.Url));
        using var policy = FakeEngines.Policy();
        engine.Start(policy, 0);
        var e = Assert.Throws<RolloutEngineException>(() =>
            engine.Generate(TwoSamples, new SamplingOptions { MaxNewTokens = 40_000 }, 8, CancellationToken.None));
        Assert.Contains("maximum context length is 32768 tokens", e.Message);
        var counters = engine.TakeCounters();
        Assert.Equal(0, counters["remote/retries"]);
        Assert.Equal(0, counters["remote/engines_down"]);
    }

    [Fact]
    public void A503_IsRetriedOnTheOtherEngine()
    {
        var stub = new StubEngineHandler().On("/v1/completions",
            new Reply(HttpStatusCode.ServiceUnavailable, "{\"message\":\"overloaded\"}"), Reply.Json(FakeEngines.VllmAnswer(2)));
        using var engine = Engine(FakeEngines.Options(EngineDialect.Vllm, "http://a:8000", "http://b:8000"), stub);
        var results = engine.Generate(TwoSamples, TwoTokens, 8, CancellationToken.None);
        Assert.Equal(new[] { 9 }, results[1].Result.TokenIds);
        Assert.Equal("http://b:8000", results[0].Engine);
        Assert.Equal(new[] { "a:8000", "b:8000" }, stub.To("/v1/completions").Select(c => c.Host));
        var counters = engine.TakeCounters();
        Assert.Equal(1, counters["remote/retries"]);
        Assert.Equal(1, counters["remote/engines_down"]);   // a stays down until it answers again
    }

    [Fact]
    public void ATimedOutAttempt_IsCutAtTimeoutSeconds_AndRetried()
    {
        var stub = new StubEngineHandler().On("/v1/completions",
            Reply.Json(FakeEngines.VllmAnswer(2)) with { DelaySeconds = 30 }, Reply.Json(FakeEngines.VllmAnswer(2)));
        var o = FakeEngines.Options(EngineDialect.Vllm, "http://a:8000");
        o.TimeoutSeconds = 0.2;
        using var engine = Engine(o, stub);
        var clock = Stopwatch.StartNew();
        var results = engine.Generate(TwoSamples, TwoTokens, 8, CancellationToken.None);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
        Assert.Equal(2, results.Count);
        Assert.Equal(2, stub.To("/v1/completions").Count());
        Assert.Equal(1, engine.TakeCounters()["remote/retries"]);
    }

    [Fact]
    public void EveryAttemptTimingOut_FailsNamingTheTimeout()
    {
        var stub = new StubEngineHandler().On("/generate", new Reply(HttpStatusCode.OK, "[]", DelaySeconds: 30));
        var o = FakeEngines.Options(EngineDialect.Sglang, "http://a:8000");
        o.TimeoutSeconds = 0.1;
        using var engine = Engine(o, stub);
        var e = Assert.Throws<RolloutEngineException>(() => engine.Generate(TwoSamples, TwoTokens, 8, CancellationToken.None));
        Assert.Contains("3 attempts", e.Message);
        Assert.Contains("timed out after 0.1 s", e.Message);
    }

    [Fact]
    public void VllmReload_IsFollowedByAPrefixCacheReset_AndEmpty200sAreAccepted()
    {
        var stub = new StubEngineHandler()
            .On("/collective_rpc", Reply.Empty).On("/reset_prefix_cache", Reply.Empty)
            .On("/v1/completions", Reply.Json(FakeEngines.VllmAnswer(2)));
        using var engine = Engine(FakeEngines.Options(EngineDialect.Vllm, "http://a:8000"), stub);
        using var policy = FakeEngines.Policy();
        engine.SyncWeights(policy, 1);
        Assert.Equal(new[] { "/collective_rpc", "/reset_prefix_cache" }, stub.Calls.Select(c => c.Path));
        var rpc = stub.Calls[0].Body!;
        Assert.Equal("reload_weights", (string)rpc["method"]!);
        Assert.EndsWith("step-000001", (string)rpc["kwargs"]!["weights_path"]!);
        Assert.True(File.Exists(Path.Combine((string)rpc["kwargs"]!["weights_path"]!, "config.json")));
        Assert.All(engine.Generate(TwoSamples, TwoTokens, 8, CancellationToken.None), c => Assert.Equal(1, c.WeightVersion));
        Assert.Equal(0, engine.TakeCounters()["remote/sync_failures"]);
    }

    [Fact]
    public void APrefixCacheResetAnsweringSuccessFalse_IsRetried()
    {
        var stub = new StubEngineHandler().On("/collective_rpc", Reply.Empty)
            .On("/reset_prefix_cache", Reply.Json(new JsonObject { ["success"] = false }), Reply.Json(new JsonObject { ["success"] = true }));
        using var engine = Engine(FakeEngines.Options(EngineDialect.Vllm, "http://a:8000"), stub);
        using var policy = FakeEngines.Policy();
        engine.SyncWeights(policy, 1);
        Assert.Equal(2, stub.To("/reset_prefix_cache").Count());
        Assert.Equal(0, engine.TakeCounters()["remote/sync_failures"]);
    }

    [Fact]
    public void TheReloadRunsUnderReloadTimeoutSeconds_NotTimeoutSeconds()
    {
        var slowLoad = Reply.Json(new JsonObject { ["success"] = true }) with { DelaySeconds = 0.6 };
        var o = FakeEngines.Options(EngineDialect.Sglang, "http://a:8000");
        o.TimeoutSeconds = 0.1;     // a generation request this slow would time out
        using var policy = FakeEngines.Policy();
        var stub = new StubEngineHandler().On("/update_weights_from_disk", slowLoad);
        using (var engine = Engine(o, stub))
        {
            engine.SyncWeights(policy, 1);
            Assert.Equal(0, engine.TakeCounters()["remote/sync_failures"]);
        }

        o.ReloadTimeoutSeconds = 0.2;
        stub = new StubEngineHandler().On("/update_weights_from_disk", slowLoad);
        using (var engine = Engine(o, stub))
        {
            var e = Assert.Throws<RolloutEngineException>(() => engine.SyncWeights(policy, 1));
            Assert.Contains("/update_weights_from_disk: timed out after 0.2 s", e.Message);
            Assert.Single(stub.To("/update_weights_from_disk"));   // a load is not retried within one sync
        }
    }
}
