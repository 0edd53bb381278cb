using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using RlTrainer.Trainer.Contracts;
using RlTrainer.Trainer.Hosting;
using RlTrainer.Trainer.Training;

namespace RlTrainer.Trainer.Tests.Training;

/// An extension registered in DI joins the real loop: each phase is called in the documented order, its metrics
/// reach metrics.jsonl, and its state survives a checkpoint.
[Collection("serial")] // whole training runs
public class StepExtensionTests
{
    private sealed class Probe : IStepExtension
    {
        private int _updates;
        public List<string> Calls { get; } = new();
        public string Name => "probe";
        public void Attach(TrainingRun run) => Calls.Add($"attach {run.StartStep}");
        public void LoadState(JsonNode? state)
        {
            _updates = state?["updates"]?.GetValue<int>() ?? 0;
            Calls.Add($"load {_updates}");
        }
        public JsonNode? SaveState() => new JsonObject { ["updates"] = _updates };
        public RolloutBatch AfterRollout(RolloutBatch batch, int step, CancellationToken ct)
        {
            Calls.Add($"rollout {step}");
            return batch;
        }
        public IReadOnlyList<double>? BeginPass(int pass)
        {
            Calls.Add($"pass {pass}");
            return null;
        }
        public void AfterUpdate(RolloutBatch batch, JsonObject line, CancellationToken ct)
        {
            line["probe/updates"] = ++_updates;
            Calls.Add($"update {line["step"]}");
        }
    }

    private static int Train(TinyRun run, Probe probe, params string[] overrides)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddJsonFile(run.ConfigPath).AddCommandLine(overrides);
        builder.Services.AddRollout().AddRewards().AddTrainer();
        builder.Services.AddSingleton<IStepExtension>(probe);
        using var host = builder.Build();
        return host.Services.GetRequiredService<TrainingLoop>().Run(CancellationToken.None);
    }

    [Fact]
    public void Phases_RunInOrder_MetricsAreWritten_AndStateSurvivesAResume()
    {
        using var run = new TinyRun(maxSteps: 2);
        var first = new Probe();
        Assert.Equal(2, Train(run, first, "--Training:NumIterations=2"));
        Assert.Equal(["attach 0", "load 0", "rollout 0", "pass 0", "pass 1", "update 1", "rollout 1", "pass 0", "pass 1", "update 2"],
            first.Calls);

        var resumed = new Probe();
        Assert.Equal(3, Train(run, resumed, "--Training:NumIterations=2", "--Training:MaxSteps=3", "--Checkpoint:Resume=latest"));
        Assert.Equal(["attach 2", "load 2", "rollout 2", "pass 0", "pass 1", "update 3"], resumed.Calls);
        var lines = File.ReadAllLines(Path.Combine(run.RunDir, "metrics.jsonl")).Select(l => JsonNode.Parse(l)!).ToList();
        Assert.Equal([1, 2, 3], lines.Select(l => l["probe/updates"]!.GetValue<int>()));
    }
}
