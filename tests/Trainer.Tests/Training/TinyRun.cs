using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using RlTrainer.Rollout.Model;

namespace RlTrainer.Trainer.Tests.Training;

/// <summary>
/// A complete, very small training run set up in a temp folder: a random 2-layer Qwen2 with the bundled tiny-math
/// tokenizer, the bundled arithmetic data, and a config.json for `rltrainer train`.
/// </summary>
internal sealed class TinyRun : IDisposable
{
    public string Dir { get; } = Directory.CreateTempSubdirectory("run-").FullName;
    public string ModelDir => Path.Combine(Dir, "model");
    public string RunDir => Path.Combine(Dir, "run");
    public string ConfigPath => Path.Combine(Dir, "config.json");

    public TinyRun(int maxSteps = 6, string objective = "Ess", int checkpointEvery = 1)
    {
        var tokenizerDir = RepoPaths.Of("data", "models", "tiny-math");
        var config = new ModelConfig
        {
            ModelType = "qwen2", VocabSize = 512, HiddenSize = 32, IntermediateSize = 64, NumHiddenLayers = 2,
            NumAttentionHeads = 4, NumKeyValueHeads = 2, HeadDim = 8, QkvBias = true, TieWordEmbeddings = true,
            EosTokenIds = new List<int> { 511 },
        };
        using (var m = new CausalLm(config, ComputeDevice.Cpu))
        {
            ModelInitializer.Randomize(m, 7, 0.05);
            HfModelFolder.Save(m, ModelDir, tokenizerDir);
        }
        var json = new JsonObject
        {
            ["Model"] = new JsonObject { ["Path"] = ModelDir },
            ["Data"] = new JsonObject
            {
                ["Files"] = new JsonArray(RepoPaths.Of("data", "arith", "test.parquet")),
                ["HeldOutFraction"] = 0.02,
                ["Seed"] = 3,
            },
            ["Rollout"] = new JsonObject { ["PromptsPerStep"] = 2, ["GroupSize"] = 4, ["MaxNewTokens"] = 6, ["BatchSize"] = 8 },
            ["Training"] = new JsonObject { ["OutputDir"] = RunDir, ["MaxSteps"] = maxSteps, ["MicroBatchSize"] = 3, ["Seed"] = 11 },
            ["Optimizer"] = new JsonObject { ["LearningRate"] = 1e-3, ["Schedule"] = "Cosine", ["WarmupSteps"] = 2 },
            ["Algorithm"] = new JsonObject { ["Kind"] = objective },
            ["Eval"] = new JsonObject { ["Enabled"] = false },
            ["Checkpoint"] = new JsonObject { ["Every"] = checkpointEvery, ["KeepLast"] = 10 },
            ["Logging"] = new JsonObject { ["LogLevel"] = new JsonObject { ["Default"] = "Warning" } },
        };
        File.WriteAllText(ConfigPath, json.ToJsonString());
    }

    /// <summary>
    /// Runs the `train` command's host in this process; returns its exit code (0, or the recorded failure's).
    /// Bad configuration throws from building the host.
    /// </summary>
    public int Train(params string[] overrides)
    {
        using var host = RlTrainer.Trainer.Cli.TrainCommand.BuildHost(ConfigPath, overrides);
        var outcome = host.Services.GetRequiredService<RlTrainer.Trainer.Hosting.TrainingOutcome>();
        host.Run();
        return outcome.ExitCode;
    }

    /// <summary>
    /// Waits until metrics.jsonl holds at least <paramref name="lines"/> lines of a run going on elsewhere (another
    /// process or thread), reading it without blocking the writer; fails when <paramref name="ended"/> turns true
    /// first or after <paramref name="timeout"/>.
    /// </summary>
    public void WaitForMetricsLines(int lines, Func<bool> ended, TimeSpan timeout)
    {
        var path = Path.Combine(RunDir, "metrics.jsonl");
        var sw = System.Diagnostics.Stopwatch.StartNew();
        while (sw.Elapsed < timeout)
        {
            Assert.False(ended(), "training ended early");
            if (File.Exists(path))
                using (var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite))
                using (var r = new StreamReader(fs))
                    if (r.ReadToEnd().Count(c => c == '\n') >= lines) return;
            Thread.Sleep(50);
        }
        throw new TimeoutException($"no {lines} metrics lines after {timeout.TotalSeconds} s");
    }

    /// <summary>The metrics.jsonl lines of one type ("train" or "eval"), in order.</summary>
    public List<JsonObject> MetricsLines(string type = "train") => File.ReadAllLines(Path.Combine(RunDir, "metrics.jsonl"))
        .Select(l => JsonNode.Parse(l)!.AsObject())
        .Where(o => o["type"]!.GetValue<string>() == type).ToList();

    /// metrics.jsonl train lines without the fields that measure time or memory.
    public List<string> DeterministicMetrics() => MetricsLines()
        .Select(o =>
        {
            foreach (var k in o.Select(kv => kv.Key).Where(k => k.Contains("seconds") || k.Contains("time_s") || k.Contains("tokens_per_s") || k.Contains("rss")).ToList())
                o.Remove(k);
            return o.ToJsonString();
        }).ToList();

    public void Dispose() => Directory.Delete(Dir, recursive: true);
}
