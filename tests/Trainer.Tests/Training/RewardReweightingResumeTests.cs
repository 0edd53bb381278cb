using System.Text.Json.Nodes;
using Microsoft.Extensions.Hosting;
using RlTrainer.Trainer.Checkpoints;
using RlTrainer.Trainer.Cli;

namespace RlTrainer.Trainer.Tests.Training;

/// Dynamic weights and the Pareto buffer live in trainer_state.json: a run split by a checkpoint logs the same
/// weights, influences and meta-rewards as a straight run.
[Collection("serial")]
public class RewardReweightingResumeTests
{
    private const string Components = """
        "components": [ { "name": "accuracy", "type": "math_accuracy" }, { "name": "brevity", "type": "brevity", "weight": 0.5 } ]
        """;

    public static TheoryData<string, string> Mixes => new()
    {
        { "hypervolume", $$"""{ {{Components}}, "weighting": "hypervolume", "hypervolume": { "tracked": [ { "name": "accuracy", "direction": "maximize" }, { "name": "brevity", "direction": "maximize" } ], "validation_problems": 4 } }""" },
        // A random model's completions are all wrong and all full length: regex rewards give the gradients some signal.
        { "gradient", """
            { "components": [ { "name": "accuracy", "type": "format", "options": { "style": "regex", "pattern": ".*[0-9].*" } },
                              { "name": "brevity", "type": "format", "weight": 0.5, "options": { "style": "regex", "pattern": ".*[aeiou].*" } } ],
              "weighting": "gradient", "gradient": { "regularization": 1e-4 } }
            """ },
    };

    [Theory]
    [MemberData(nameof(Mixes))]
    public void Resume_TwoStepsThenTwo_EqualsFourStraight(string method, string mix)
    {
        using var straight = new TinyRun(maxSteps: 4);
        // The gradient run also takes TMN advantages, whose statistics must survive the resume as well.
        string[] advantage = method == "gradient" ? ["--Algorithm:Advantage:Normalization=Tmn"] : [];
        Run(straight, mix, advantage);
        using var split = new TinyRun(maxSteps: 4);
        Run(split, mix, [.. advantage, "--Training:MaxSteps=2"]);
        var saved = CheckpointManager.LoadState(new CheckpointManager(split.RunDir, 10).List()[^1]);
        Assert.Equal(method, saved.Components["reward_weighting"]!["method"]!.GetValue<string>());
        Run(split, mix, [.. advantage, "--Checkpoint:Resume=latest"]);

        var a = straight.DeterministicMetrics();
        Assert.Equal(4, a.Count);
        Assert.Equal(a, split.DeterministicMetrics());
        var last = JsonNode.Parse(a[^1])!.AsObject();
        double accuracy = last["weights/accuracy"]!.GetValue<double>(), brevity = last["weights/brevity"]!.GetValue<double>();
        if (method == "gradient")
        {
            // Starts at (1, 0.5)/1.5 on the simplex and has moved: a resume that lost the weights would restart there.
            Assert.Equal(1.0, accuracy + brevity, 1e-12);
            Assert.NotEqual(2.0 / 3, accuracy, 1e-6);
            Assert.NotNull(last["weights/influence/brevity"]);
            Assert.NotNull(last["tmn/frac_weight_above_1"]);
        }
        else
        {
            Assert.Equal((1.0, 0.5), (accuracy, brevity));   // the hypervolume weighting keeps the user's weights
            // After the first step r_pareto ∈ [0.5, 2) comes from the buffer; a resume that lost it would restart at 1.
            Assert.InRange(last["weights/r_pareto"]!.GetValue<double>(), 0.5, 1.999999);
            Assert.NotEqual(1.0, last["weights/r_pareto"]!.GetValue<double>());
            Assert.NotNull(last["weights/val/brevity"]);
        }
    }

    private static void Run(TinyRun run, string mix, params string[] overrides)
    {
        var path = Path.Combine(run.Dir, "rewards.json");
        File.WriteAllText(path, mix);
        Assert.Equal(0, run.Train(overrides.Append($"--Rewards:File={path}").ToArray()));
    }
}
