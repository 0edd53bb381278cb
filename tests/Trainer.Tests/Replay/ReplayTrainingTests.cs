using System.Text.Json.Nodes;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using RlTrainer.Trainer.Cli;
using RlTrainer.Trainer.Errors;
using RlTrainer.Trainer.Tests.Training;

namespace RlTrainer.Trainer.Tests.Replay;

[Collection("serial")] // whole training runs: keep them off each other's cores
public class ReplayTrainingTests
{
    private static readonly string General = RepoPaths.Of("data", "general", "test.parquet");

    /// A TinyRun whose config replays the general set twice: as SFT (targets) and as RL prompts, weighted by RECAP
    /// with W = 1 so the weights move from step 2 on and the windows matter across a resume.
    private static TinyRun WithReplay(int maxSteps, Action<JsonObject>? edit = null)
    {
        var run = new TinyRun(maxSteps);
        var config = JsonNode.Parse(File.ReadAllText(run.ConfigPath))!.AsObject();
        config["Replay"] = new JsonObject
        {
            ["Sources"] = new JsonArray(
                new JsonObject { ["Name"] = "general", ["Files"] = new JsonArray(General) },
                new JsonObject { ["Name"] = "general_rl", ["Files"] = new JsonArray(General), ["Kind"] = "Rl", ["Seed"] = 1 }),
            ["Ratio"] = 0.5,
            ["Weighting"] = "Recap",
            ["Recap"] = new JsonObject { ["Window"] = 1 },
        };
        edit?.Invoke(config);
        File.WriteAllText(run.ConfigPath, config.ToJsonString());
        return run;
    }

    private static void RunInProcess(TinyRun run, params string[] overrides) => Assert.Equal(0, run.Train(overrides));

    private static List<JsonObject> Lines(TinyRun run, string type) => run.MetricsLines(type);

    [Fact]
    public void ReplayWithRecap_ResumeThreePlusThree_EqualsSixStraight_AndLogsWeights()
    {
        using var straight = WithReplay(6);
        RunInProcess(straight);
        using var split = WithReplay(6);
        RunInProcess(split, "--Training:MaxSteps=3");
        RunInProcess(split, "--Checkpoint:Resume=latest");
        Assert.Equal(straight.DeterministicMetrics(), split.DeterministicMetrics());

        var lines = Lines(straight, "train");
        Assert.Equal(6, lines.Count);
        foreach (var l in lines)
        {
            var lambda = new[] { "main", "general", "general_rl" }.Select(k => l[$"replay/lambda/{k}"]!.GetValue<double>()).ToArray();
            Assert.Equal(3.0, lambda.Sum(), 9);
            Assert.True(l["replay/value/general"]!.GetValue<double>() > 0);   // token-mean NLL of the SFT items
            Assert.NotNull(l["replay/value/general_rl"]);                    // mean reward of the replayed RL groups
        }
        Assert.All(Lines(straight, "train")[0].Where(kv => kv.Key.StartsWith("replay/lambda/")), kv => Assert.Equal(1.0, kv.Value!.GetValue<double>()));
        Assert.NotEqual(1.0, lines[^1]["replay/lambda/general"]!.GetValue<double>());
        Assert.NotNull(lines[^1]["replay/convergence/general"]);
    }

    [Fact]
    public void EvalSets_EveryConfiguredSetIsEvaluated_UnderItsName()
    {
        using var run = WithReplay(1, c =>
        {
            c["Replay"] = new JsonObject();
            c["Eval"] = new JsonObject
            {
                ["Enabled"] = true, ["Limit"] = 3, ["MaxNewTokens"] = 4,
                ["Sets"] = new JsonObject { ["general"] = new JsonArray(General) },
            };
        });
        RunInProcess(run);
        var evals = Lines(run, "eval");
        Assert.Equal(2, evals.Count);                                         // before the first and after the last step
        foreach (var e in evals)
        {
            Assert.NotNull(e["eval/held-out/accuracy"]);
            Assert.Equal(3, e["eval/general/problems"]!.GetValue<int>());
            Assert.InRange(e["eval/general/accuracy"]!.GetValue<double>(), 0, 1);
        }
        Assert.DoesNotContain(Lines(run, "train")[0], kv => kv.Key.StartsWith("replay/"));  // no sources: plain training
    }

    [Fact]
    public void BadReplayValue_FailsAtStart_NamingKeyAndValue()
    {
        using var run = WithReplay(1);
        var e = Assert.Throws<BadInputException>(() => TrainCommand.BuildHost(run.ConfigPath, new[] { "--Replay:Sources:0:Name=main" }));
        Assert.Equal("command line: Replay:Sources:0:Name = 'main': 'main' is the main task's name; choose another name.", e.Message);
        Assert.Equal(ExitCodes.BadInput, e.ExitCode);
    }
}
