using System.Globalization;
using System.Text.Json.Nodes;

namespace RlTrainer.Trainer.Tests.Reporting;

/// <summary>
/// A run folder written by the test itself: metrics.jsonl lines with known values (plus any raw lines), an
/// effective-config.json and checkpoint folders, so report numbers can be checked against what was written.
/// </summary>
internal sealed class FakeRun : IDisposable
{
    public string Root { get; } = Directory.CreateTempSubdirectory("report-").FullName;
    public string Dir { get; }
    public List<JsonObject> Lines { get; } = new();

    public FakeRun(string name = "run-a") => Directory.CreateDirectory(Dir = Path.Combine(Root, name));

    /// A deterministic train line for step s with the keys the trainer writes (a subset) and made-up values.
    public static JsonObject TrainLine(int s, double seed = 0) => new()
    {
        ["step"] = s, ["type"] = "train", ["time_s"] = 10.5 * s + seed,
        ["reward/mean"] = 0.1 * s + seed, ["reward/std"] = 0.3,
        ["reward/math_accuracy/mean"] = 0.05 * s,
        ["accuracy"] = 0.02 * s, ["lr"] = 1e-4, ["grad_norm"] = 1.0 / s,
        ["completion/length_mean"] = 40 + s, ["completion/truncated_rate"] = 0.5 / s,
        ["rollout/seconds"] = 2.0 + s % 3, ["rollout/tokens_per_s"] = (100 + 7 * s) / (2.0 + s % 3), ["rollout/tokens"] = 100 + 7 * s,
        ["update/seconds"] = 3.0, ["update/tokens"] = 90 + 5 * s, ["update/tokens_per_s"] = (90 + 5 * s) / 3.0,
        ["objective/ess"] = 1 - 0.01 * s, ["objective/entropy"] = 2.5 - 0.02 * s,
    };

    public static JsonObject EvalLine(int s, double accuracy) => new()
    {
        ["step"] = s, ["type"] = "eval", ["time_s"] = 10.5 * s + 1, ["eval/accuracy"] = accuracy,
        ["eval/format_rate"] = 0.9, ["eval/arith/accuracy"] = accuracy / 2,
    };

    public FakeRun Add(JsonObject line) { Lines.Add(line); return this; }

    /// Writes the JSON lines in order, then inserts each raw line so that it ends up at its 0-based index.
    public FakeRun WriteMetrics(params (int Index, string Text)[] raw)
    {
        var text = Lines.Select(l => l.ToJsonString()).ToList();
        foreach (var (index, line) in raw.OrderBy(r => r.Index)) text.Insert(index, line);
        File.WriteAllLines(Path.Combine(Dir, "metrics.jsonl"), text);
        return this;
    }

    public FakeRun WriteConfig(int groupSize = 8, double lr = 1e-6)
    {
        var config = new JsonObject
        {
            ["Model"] = new JsonObject { ["Path"] = "/models/tiny", ["Device"] = "cpu" },
            ["Rollout"] = new JsonObject { ["GroupSize"] = groupSize, ["StopStrings"] = new JsonArray("</answer>") },
            ["Optimizer"] = new JsonObject { ["LearningRate"] = lr },
            ["Data"] = new JsonObject { ["Columns"] = new JsonObject { ["Prompt"] = null } },
        };
        File.WriteAllText(Path.Combine(Dir, "effective-config.json"), config.ToJsonString());
        return this;
    }

    public FakeRun AddCheckpoint(int step, bool complete = true)
    {
        var d = Path.Combine(Dir, "checkpoints", "step-" + step.ToString("D6", CultureInfo.InvariantCulture));
        Directory.CreateDirectory(d);
        if (complete) File.WriteAllText(Path.Combine(d, "trainer_state.json"), "{}");
        return this;
    }

    public void Dispose() => Directory.Delete(Root, recursive: true);
}
