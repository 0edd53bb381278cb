using System.Diagnostics;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Hosting;
using RlTrainer.Rollout.Model;
using RlTrainer.Rollout.Sampling;
using RlTrainer.Trainer.Checkpoints;
using RlTrainer.Trainer.Cli;
using RlTrainer.Trainer.Engines;
using RlTrainer.Trainer.Tests.Training;

namespace RlTrainer.Trainer.Tests.Engines;

/// <summary>
/// Training runs whose rollouts come from two `rltrainer serve` engines on loopback, with weight sync between steps:
/// separate processes for the sync test, in-process hosts (the same InferenceHost) for the failure tests.
/// </summary>
[Collection("serial")] // runs whole training loops
public class RemoteRolloutTrainingTests
{
    private static string[] Remote(string dialect, params IServeEngine[] engines) => new[]
    {
        "--RolloutEngine:Kind=Remote", $"--RolloutEngine:Dialect={dialect}", "--RolloutEngine:RetryBackoffSeconds=0.05",
        "--RolloutEngine:TimeoutSeconds=120", "--Optimizer:WarmupSteps=0", // the first update moves the weights
    }.Concat(engines.Select((e, i) => $"--RolloutEngine:Urls:{i}={e.Url}")).ToArray();

    [Theory]
    [InlineData("Vllm")]
    [InlineData("Sglang")]
    public void SecondStep_SamplesFromTheSyncedWeights_AndServedLogProbsEqualTheTrainers(string dialect)
    {
        using var run = new TinyRun(maxSteps: 3);
        using var a = new ServeProcess(run.ModelDir);
        using var b = new ServeProcess(run.ModelDir);
        // A random model earns no reward, so its gradients are zero: weight decay (10% per step) is what moves the
        // weights here, enough for stale engines to show.
        string[] Args(params string[] extra) => Remote(dialect, a, b).Concat(new[] { "--Optimizer:LearningRate=0.1", "--Optimizer:WeightDecay=1" }).Concat(extra).ToArray();

        // Control without sync: the engines keep the starting weights, so step 2's rollouts are stale and their
        // log-probs drift from the trainer's. This is what the synced run below must not show.
        Assert.Equal(0, run.Train(Args("--RolloutEngine:SyncWeights=false", "--Training:MaxSteps=2")));
        var control = TrainLines(run);
        Assert.True((double)control[0]["remote/logprob_gap_max"]! < 1e-4);
        Assert.Equal(8, (double)control[1]["remote/stale_rollouts"]!);
        Assert.True((double)control[1]["remote/logprob_gap_max"]! > 1e-3, $"control gap {control[1]["remote/logprob_gap_max"]}");

        Assert.Equal(0, run.Train(Args("--Training:Overwrite=true")));
        var lines = TrainLines(run);
        Assert.Equal(3, lines.Count);
        for (int step = 0; step < 3; step++)
        {
            Assert.Equal(step, (double)lines[step]["remote/weight_version"]!);
            Assert.Equal(0, (double)lines[step]["remote/stale_rollouts"]!);      // tags come from the engines' answers
            Assert.True((double)lines[step]["remote/logprob_gap_max"]! < 1e-4, $"step {step + 1}: gap {lines[step]["remote/logprob_gap_max"]}");
            Assert.Equal(0, (double)lines[step]["remote/sync_failures"]!);
        }
        Assert.True(Directory.Exists(Path.Combine(run.RunDir, "engine-weights", "step-000002")));
    }

    [Theory]
    [InlineData("Vllm")]
    [InlineData("Sglang")]
    public async Task LoraAdapterSync_TheEngineSamplesWithTheTrainersAdapter_AndItsLogProbsEqualTheTrainers(string dialect)
    {
        using var run = new TinyRun(maxSteps: 2);
        using var engine = new InProcessServe(run.ModelDir);
        // A random model earns no reward, so the entropy bonus is what moves the adapter in the first update.
        var args = Remote(dialect, engine).Concat(LoraTrainingTests.Lora).Concat(new[]
        {
            "--RolloutEngine:LoraSync=Adapter", "--RolloutEngine:SendSeeds=true", "--Algorithm:Ess:EntropyCoefficient=1", "--Optimizer:LearningRate=0.05",
        });
        Assert.Equal(0, run.Train(args.ToArray()));
        var lines = TrainLines(run);
        Assert.Equal(2, lines.Count);
        for (int step = 0; step < 2; step++)
        {
            Assert.Equal(step, (double)lines[step]["remote/weight_version"]!);
            Assert.Equal(0, (double)lines[step]["remote/stale_rollouts"]!);
            Assert.Equal(0, (double)lines[step]["remote/sync_failures"]!);
            Assert.True((double)lines[step]["remote/logprob_gap_max"]! < 1e-4, $"step {step + 1}: gap {lines[step]["remote/logprob_gap_max"]}");
        }
        // Each sync wrote the adapter alone, and the engine holds step 1's (step 0's was unloaded).
        var synced = Path.Combine(run.RunDir, "engine-weights", "step-000001");
        Assert.True(File.Exists(Path.Combine(synced, PeftAdapterFolder.ConfigFile)));
        Assert.False(File.Exists(Path.Combine(synced, "model.safetensors")));
        using var http = new HttpClient();
        var models = JsonNode.Parse(await http.GetStringAsync(engine.Url + "/v1/models"))!["data"]!.AsArray();
        Assert.Equal(["model", WeightVersionLabel.AdapterName(1)], models.Select(m => (string)m!["id"]!));
        // Step 2 sampled with an adapter that moves the engine's log-probs, so the small gap above means the engine
        // applied it (serving the base instead would show here as a gap).
        var job = new PromptJob(new[] { 5, 6, 7 }, N: 1, Seed: 1);
        var greedy = new SamplingOptions { MaxNewTokens = 4, Greedy = true };
        async Task<float[]> LogProbs(string? adapter)
        {
            var d = new VllmCompletionsDialect("");
            using var response = await http.PostAsync(engine.Url + "/v1/completions", new StringContent(d.GenerateBody(job, greedy, adapter).ToJsonString(), System.Text.Encoding.UTF8, "application/json"));
            return d.ParseGenerate(JsonNode.Parse(await response.Content.ReadAsStringAsync()), job)[0].Result.LogProbs.ToArray();
        }
        var (tuned, plain) = (await LogProbs(WeightVersionLabel.AdapterName(1)), await LogProbs(null));
        Assert.True(tuned.Zip(plain).Max(p => Math.Abs(p.First - p.Second)) > 1e-3, "the trained adapter does not change the engine's log-probs");
    }

    [Fact]
    public async Task OneEngineDownMidRun_RolloutsGoToTheOther_AndTheRunFinishes()
    {
        using var run = new TinyRun(maxSteps: 4);
        using var a = new InProcessServe(run.ModelDir);
        using var b = new InProcessServe(run.ModelDir);
        var training = TrainInBackground(run, Remote("Sglang", a, b));
        run.WaitForMetricsLines(1, () => training.IsCompleted, TimeSpan.FromSeconds(180));
        a.Kill();
        Assert.Equal(0, await training);
        var lines = TrainLines(run);
        Assert.Equal(4, lines.Count);
        Assert.Equal(1, (double)lines[^1]["remote/engines_down"]!);
        Assert.True(lines.Skip(1).Sum(l => (double)l["remote/retries"]! + (double)l["remote/sync_failures"]!) >= 1);
        Assert.All(lines, l => Assert.True((double)l["remote/logprob_gap_max"]! < 1e-4));
    }

    [Fact]
    public async Task BothEnginesDown_FailsTheRun_AndKeepsTheCheckpoint()
    {
        using var run = new TinyRun(maxSteps: 1000, checkpointEvery: 0);
        using var a = new InProcessServe(run.ModelDir);
        using var b = new InProcessServe(run.ModelDir);
        var training = TrainInBackground(run, Remote("Vllm", a, b));
        run.WaitForMetricsLines(2, () => training.IsCompleted, TimeSpan.FromSeconds(180));
        a.Kill();
        b.Kill();
        Assert.Equal(1, await training);
        int done = TrainLines(run).Count;
        Assert.True(done < 1000);
        var last = new CheckpointManager(run.RunDir, 10).List()[^1];
        Assert.Equal(done, CheckpointManager.LoadState(last).Step);
        using var m = HfModelFolder.Load(last, ComputeDevice.Cpu);
    }

    // ---- helpers -------------------------------------------------------------------------------------------

    [Theory]
    [InlineData("Vllm", "Ess")]
    [InlineData("Sglang", "Grpo")]
    public void AsyncRollouts_SyncTheEngineAtVersionBoundaries_AndRecomputeAtTheSamplingVersion(string dialect, string objective)
    {
        using var run = new TinyRun(maxSteps: 4, objective: objective);
        using var engine = new InProcessServe(run.ModelDir);
        // Weight decay moves the random model's weights every step (it earns no reward), enough for a stale sync to show.
        var args = Remote(dialect, engine).Concat(new[] { "--Optimizer:LearningRate=0.1", "--Optimizer:WeightDecay=1", "--Training:MaxStaleness=1" });
        Assert.Equal(0, run.Train(args.ToArray()));
        var lines = TrainLines(run);
        Assert.Equal(4, lines.Count);
        bool sawStale = false;
        for (int step = 0; step < 4; step++)
        {
            var l = lines[step];
            int version = (int)(double)l["remote/weight_version"]!;
            // The producer sampled step i's batch from version i or i − 1, synced to the engine before the batch ...
            Assert.InRange(version, Math.Max(0, step - 1), step);
            Assert.Equal(step - version, (double)l["staleness/max"]!);
            sawStale |= version < step;
            Assert.Equal(0, (double)l["remote/stale_rollouts"]!);
            Assert.Equal(0, (double)l["remote/sync_failures"]!);
            // ... and recomputed the behaviour log-probs with its copy at that version: equal to the engine's. Against the
            // learner's newer weights the gap would be that of the control run above (> 1e-3).
            Assert.True((double)l["remote/logprob_gap_max"]! < 1e-4, $"step {step + 1}: gap {l["remote/logprob_gap_max"]}");
        }
        Assert.True(sawStale, "the producer never ran ahead of the learner");
        Assert.True(Directory.Exists(Path.Combine(run.RunDir, "engine-weights")));
    }

    [Fact]
    public void AsyncRollouts_WithEngineBehaviourLogProbs_TrainOnTheServedLogProbs_WithoutARecompute()
    {
        using var run = new TinyRun(maxSteps: 4);
        using var engine = new InProcessServe(run.ModelDir);
        var args = Remote("Vllm", engine).Concat(new[]
        {
            "--Optimizer:LearningRate=0.1", "--Optimizer:WeightDecay=1", "--Training:MaxStaleness=1",
            "--RolloutEngine:BehaviourLogProbs=Engine", "--RolloutEngine:Correction=None",
        });
        Assert.Equal(0, run.Train(args.ToArray()));
        var lines = TrainLines(run);
        Assert.Equal(4, lines.Count);
        for (int step = 0; step < 4; step++)
        {
            var l = lines[step];
            int version = (int)(double)l["remote/weight_version"]!;
            Assert.InRange(version, Math.Max(0, step - 1), step);
            Assert.Equal(step - version, (double)l["staleness/max"]!);
            Assert.Equal(0, (double)l["remote/sync_failures"]!);
            Assert.False(l.ContainsKey("remote/logprob_gap_max"));   // the producer recomputed nothing
        }
    }

    private static List<JsonObject> TrainLines(TinyRun run) => run.MetricsLines();

    private static Task<int> TrainInBackground(TinyRun run, string[] overrides) =>
        Task.Factory.StartNew(() => run.Train(overrides), TaskCreationOptions.LongRunning);
}
