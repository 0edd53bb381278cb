using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using RlTrainer.Trainer.Cli;
using RlTrainer.Trainer.Telemetry;
using RlTrainer.Trainer.Tests.Training;

namespace RlTrainer.Trainer.Tests.Telemetry;

[Collection("serial")] // runs a training host: keep it off the other runs' cores
public class TelemetryEndpointTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(120);

    /// Scrapes until <paramref name="done"/> holds (every 100 ms, at most <see cref="Patience"/>).
    private static async Task<PrometheusText> ScrapeUntil(HttpClient http, Func<PrometheusText, bool> done)
    {
        var sw = Stopwatch.StartNew();
        while (true)
        {
            var text = new PrometheusText(await http.GetStringAsync("/metrics"));
            if (done(text)) return text;
            if (sw.Elapsed > Patience) throw new TimeoutException($"the scrape never showed what the test waits for:\n{string.Join("\n", text.Samples)}");
            await Task.Delay(100);
        }
    }

    [Fact]
    public async Task ARunWithTheEndpointOn_ServesRisingCountersTheLatestRewardAndHealth()
    {
        using var run = new TinyRun(maxSteps: 100000, checkpointEvery: 0);
        // The bundled tiny-math model stops after a few tokens, and how many varies: brevity rewards differ from step to step.
        var rewards = Path.Combine(run.Dir, "rewards.json");
        File.WriteAllText(rewards, """{ "components": [ { "name": "brevity", "type": "brevity", "weight": 1.0 } ] }""");
        using var host = TrainCommand.BuildHost(run.ConfigPath,
        [
            $"--Model:Path={RepoPaths.Of("data", "models", "tiny-math")}", $"--Rewards:File={rewards}", "--Rollout:MaxNewTokens=24",
            "--Telemetry:PrometheusEndpoint=0",
        ]);
        await host.StartAsync();
        PrometheusText first, second;
        HttpResponseMessage live, ready;
        try
        {
            var address = Assert.Single(host.Services.GetRequiredService<TelemetryEndpoint>().Addresses);
            Assert.Equal("127.0.0.1", address.Host);
            using var http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) };
            // From the second step on: the first publication also pays the JIT and OpenTelemetry's first-measurement
            // set-up, and a scrape could fall inside it.
            first = await ScrapeUntil(http, s => s.Value("rltrainer_steps_total") >= 2);
            second = await ScrapeUntil(http, s => s.Value("rltrainer_steps_total") > first.Value("rltrainer_steps_total")
                                                   && s.Value("rltrainer_reward_mean") != first.Value("rltrainer_reward_mean"));
            live = await http.GetAsync("/health/live");
            ready = await http.GetAsync("/health/ready");
        }
        finally
        {
            await host.StopAsync();
        }

        Assert.True(second.Value("rltrainer_rollout_tokens_total") > first.Value("rltrainer_rollout_tokens_total"));
        Assert.True(second.Value("rltrainer_step_duration_seconds_count") > first.Value("rltrainer_step_duration_seconds_count"));
        // Each scrape's reward is that of the step it reports, as metrics.jsonl holds it: one source of the numbers.
        var lines = run.MetricsLines().ToDictionary(l => l["step"]!.GetValue<int>());
        foreach (var scrape in new[] { first, second })
        {
            int step = (int)scrape.Value("rltrainer_step")!.Value;
            Assert.Equal(lines[step]["reward/mean"]!.GetValue<double>(), scrape.Value("rltrainer_reward_mean")!.Value, 12);
            Assert.Equal(lines[step]["accuracy"]!.GetValue<double>(), scrape.Value("rltrainer_accuracy")!.Value, 12);
        }
        Assert.Contains(second.Samples, s => s.Name == "rltrainer_reward_component_mean" && s.Labels["component"] == "brevity");

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        var health = JsonNode.Parse(await live.Content.ReadAsStringAsync())!;
        Assert.Equal("healthy", health["status"]!.GetValue<string>());
        Assert.True(health["last_step"]!.GetValue<int>() >= 1);
        Assert.True(DateTimeOffset.UtcNow - DateTimeOffset.Parse(health["last_step_time"]!.GetValue<string>()) < Patience);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("training", JsonNode.Parse(await ready.Content.ReadAsStringAsync())!["phase"]!.GetValue<string>());
    }
}
