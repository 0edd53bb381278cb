using Microsoft.Extensions.Logging.Abstractions;
using RlTrainer.Rollout.Sampling;
using RlTrainer.Trainer.Engines;

namespace RlTrainer.Trainer.Tests.Engines;

public class RemoteRolloutEngineTests
{
    [Fact]
    public void EveryEngineDown_ThrowsNamingEachUrl()
    {
        var urls = new[] { $"http://127.0.0.1:{InProcessServe.FreePort()}", $"http://127.0.0.1:{InProcessServe.FreePort()}" };
        var options = new RolloutEngineOptions
        {
            Kind = RolloutEngineKind.Remote, Urls = urls.ToList(), Dialect = EngineDialect.Sglang, MaxAttempts = 3,
            RetryBackoffSeconds = 0.01, Balancing = EngineBalancing.RoundRobin,
        };
        using var engine = new RemoteRolloutEngine(options, "unused", Path.GetTempPath(), 0, NullLogger.Instance);
        var prompt = new[] { 1, 2, 3 };
        var e = Assert.Throws<RolloutEngineException>(() => engine.Generate(
            new[] { new GenerationRequest(prompt, 1), new GenerationRequest(prompt, 2) }, new SamplingOptions { MaxNewTokens = 2 }, 8, CancellationToken.None));
        Assert.Contains(urls[0] + "/generate", e.Message);
        Assert.Contains(urls[1] + "/generate", e.Message);
        Assert.Contains("3 attempts", e.Message);
    }
}
