using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using RlTrainer.Trainer.Engines;
using Reply = RlTrainer.Trainer.Tests.Engines.StubEngineHandler.Reply;

namespace RlTrainer.Trainer.Tests.Engines;

/// <summary>RemoteRolloutEngine.Start against stub engines: each way an engine can be misconfigured stops the run
/// with a message naming the setting to change.</summary>
public class EngineStartupCheckTests
{
    private static readonly Reply VllmVersion = Reply.Json(new JsonObject { ["version"] = "0.14.0" });

    private static string StartFails(RolloutEngineOptions o, StubEngineHandler stub)
    {
        using var engine = new RemoteRolloutEngine(o, FakeEngines.TokenizerDir, Directory.CreateTempSubdirectory("sync-").FullName, 0,
            NullLogger.Instance, stub);
        using var policy = FakeEngines.Policy();
        return Assert.Throws<RolloutEngineException>(() => engine.Start(policy, 0)).Message;
    }

    [Fact]
    public void AHealthyVllm_IsProbedLoadedAndReset_ThenTheFirstSyncIsANoOp()
    {
        var stub = new StubEngineHandler().On("/version", VllmVersion).On("/collective_rpc", Reply.Empty)
            .On("/reset_prefix_cache", Reply.Json(new JsonObject { ["success"] = true }));
        using var engine = new RemoteRolloutEngine(FakeEngines.Options(EngineDialect.Vllm, "http://a:8000"), FakeEngines.TokenizerDir,
            Directory.CreateTempSubdirectory("sync-").FullName, 0, NullLogger.Instance, stub);
        using var policy = FakeEngines.Policy();
        engine.Start(policy, 5);
        engine.SyncWeights(policy, 5);
        Assert.Equal(new[] { "/version", "/collective_rpc", "/reset_prefix_cache" }, stub.Calls.Select(c => c.Path));
        Assert.EndsWith("step-000005", (string)stub.Calls[1].Body!["kwargs"]!["weights_path"]!);
    }

    [Fact]
    public void NoVersionEndpoint_PointsAtUrlsAndDialect()
    {
        var message = StartFails(FakeEngines.Options(EngineDialect.Vllm, "http://a:8000"), new StubEngineHandler());
        Assert.Contains("http://a:8000/version answered HTTP 404", message);
        Assert.Contains("RolloutEngine:Dialect (now Vllm)", message);
    }

    [Fact]
    public void NoDevMode_PointsAtVllmServerDevModeOrSyncWeights()
    {
        var message = StartFails(FakeEngines.Options(EngineDialect.Vllm, "http://a:8000"), new StubEngineHandler().On("/version", VllmVersion));
        Assert.Contains("/collective_rpc answered HTTP 404", message);
        Assert.Contains("VLLM_SERVER_DEV_MODE=1", message);
        Assert.Contains("RolloutEngine:SyncWeights=false", message);
    }

    [Fact]
    public void AReloadWithoutWeightsPath_PointsAtTheVllmVersionSyncWeightsAndSyncDir()
    {
        var stub = new StubEngineHandler().On("/version", VllmVersion)
            .On("/collective_rpc", new Reply(HttpStatusCode.InternalServerError, "Internal Server Error"));
        var message = StartFails(FakeEngines.Options(EngineDialect.Vllm, "http://a:8000"), stub);
        Assert.Contains("vLLM 0.14.0", message);
        Assert.Contains("weights_path", message);
        Assert.Contains("PR #32133", message);
        Assert.Contains("RolloutEngine:SyncWeights=false", message);
        Assert.Contains("RolloutEngine:SyncDir", message);
        Assert.Single(stub.To("/collective_rpc"));
    }

    [Fact]
    public void AnOldSglangAndSendSeeds_PointsAtSendSeedsFalse()
    {
        var o = FakeEngines.Options(EngineDialect.Sglang, "http://a:30000");
        o.SendSeeds = true;
        var stub = new StubEngineHandler().On("/get_server_info", Reply.Json(new JsonObject { ["version"] = "0.4.6", ["tp_size"] = 1 }));
        Assert.Contains("RolloutEngine:SendSeeds=false", StartFails(o, stub));
        Assert.Empty(stub.To("/update_weights_from_disk"));   // the probe fails before anything is loaded
    }

    [Fact]
    public void ADeterministicSglangWithoutSeeds_PointsAtSendSeedsTrue()
    {
        var stub = new StubEngineHandler().On("/get_server_info",
            Reply.Json(new JsonObject { ["version"] = "0.5.4", ["enable_deterministic_inference"] = true }));
        Assert.Contains("RolloutEngine:SendSeeds=true", StartFails(FakeEngines.Options(EngineDialect.Sglang, "http://a:30000"), stub));
    }

    [Fact]
    public void AnSglangThatCannotReadTheFolder_PointsAtSyncDir()
    {
        var stub = new StubEngineHandler()
            .On("/get_server_info", Reply.Json(new JsonObject { ["version"] = "0.5.4", ["enable_deterministic_inference"] = false }))
            .On("/update_weights_from_disk", new Reply(HttpStatusCode.BadRequest,
                "{\"success\": false, \"message\": \"Failed to get weights iterator: no such directory\", \"num_paused_requests\": 0}"));
        var message = StartFails(FakeEngines.Options(EngineDialect.Sglang, "http://a:30000"), stub);
        Assert.Contains("no such directory", message);
        Assert.Contains("RolloutEngine:SyncDir", message);
    }

    [Fact]
    public void AWrongApiKey_PointsAtApiKey()
    {
        var stub = new StubEngineHandler().On("/version", new Reply(HttpStatusCode.Unauthorized, "{\"error\": \"Unauthorized\"}"));
        Assert.Contains("RolloutEngine:ApiKey", StartFails(FakeEngines.Options(EngineDialect.Vllm, "http://a:8000"), stub));
    }

    [Fact]
    public void AnUnreachableEngine_IsRetried_ThenPointsAtUrls()
    {
        var stub = new StubEngineHandler().On("/version", new Reply(HttpStatusCode.OK, Refuse: true));
        var message = StartFails(FakeEngines.Options(EngineDialect.Vllm, "http://a:8000"), stub);
        Assert.Contains("RolloutEngine:Urls", message);
        Assert.Equal(3, stub.To("/version").Count());
    }
}
