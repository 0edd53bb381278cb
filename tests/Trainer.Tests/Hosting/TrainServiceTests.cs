using System.Text.Json.Nodes;
using System.Diagnostics;
using Microsoft.Extensions.Hosting;
using RlTrainer.Rollout.Model;
using RlTrainer.Trainer.Checkpoints;
using RlTrainer.Trainer.Data;
using RlTrainer.Trainer.Cli;
using RlTrainer.Trainer.Tests.Training;

namespace RlTrainer.Trainer.Tests.Hosting;

[Collection("serial")] // runs whole training processes: keep them off each other's cores
public class TrainServiceTests
{
    private static void RunInProcess(TinyRun run, params string[] overrides) => Assert.Equal(0, run.Train(overrides));

    [Fact]
    public void Resume_ThreeStepsThenThree_EqualsSixStraight()
    {
        using var straight = new TinyRun(maxSteps: 6);
        RunInProcess(straight);
        using var split = new TinyRun(maxSteps: 6);
        RunInProcess(split, "--Training:MaxSteps=3");
        Assert.Equal(3, CheckpointManager.LoadState(new CheckpointManager(split.RunDir, 10).List()[^1]).Step);
        RunInProcess(split, "--Checkpoint:Resume=latest");
        var a = straight.DeterministicMetrics();
        var b = split.DeterministicMetrics();
        Assert.Equal(6, a.Count);
        Assert.Equal(a, b);
    }

    [Fact]
    public void Checkpoint_IsAHuggingFaceFolderThatLoads_WithTrainerState()
    {
        using var run = new TinyRun(maxSteps: 2);
        RunInProcess(run);
        var last = new CheckpointManager(run.RunDir, 10).List()[^1];
        foreach (var f in new[] { "config.json", "model.safetensors", "generation_config.json", "tokenizer.json", "tokenizer_config.json", "optimizer.bin", "trainer_state.json" })
            Assert.True(File.Exists(Path.Combine(last, f)), f);
        using var m = HfModelFolder.Load(last, ComputeDevice.Cpu);
        Assert.Equal(2, CheckpointManager.LoadState(last).Step);
        var state = File.ReadAllText(Path.Combine(last, "trainer_state.json"));
        Assert.Contains("\"step\": 2", state);
        Assert.Contains("\"elapsed_seconds\"", state);
        Assert.True(File.Exists(Path.Combine(run.RunDir, "effective-config.json")));
    }

    [Fact]
    public void GrpoWithKlToReference_RunsFromConfigSubsections_AndBetaChangesTheRun()
    {
        // The bundled tiny-math model, not TinyRun's random one: its groups have mixed rewards, so the policy moves
        // away from the reference and the KL term has something to measure.
        string[] Grpo(string beta) => ["--Algorithm:Kind=Grpo", $"--Algorithm:Grpo:Beta={beta}", "--Algorithm:Grpo:LossType=Bnpo",
            "--Training:NumIterations=2", $"--Model:Path={RepoPaths.Of("data", "models", "tiny-math")}", "--Rollout:PromptsPerStep=4",
            "--Rollout:MaxNewTokens=24", "--Rollout:BatchSize=16"];
        using var withKl = new TinyRun(maxSteps: 2);
        RunInProcess(withKl, Grpo("0.04"));
        using var withoutKl = new TinyRun(maxSteps: 2);
        RunInProcess(withoutKl, Grpo("0"));
        Assert.Contains("\"Kind\": \"Grpo\"", File.ReadAllText(Path.Combine(withKl.RunDir, "effective-config.json")));

        // The KL term is measured only when beta > 0, and is positive once the policy has left the reference (the
        // second pass of step 1 onwards); the same seed without it trains other weights.
        static double? Kl(JsonObject line) => line.Where(kv => kv.Key == "kl" || kv.Key.EndsWith("/kl", StringComparison.Ordinal))
            .Select(kv => (double?)kv.Value!.GetValue<double>()).FirstOrDefault();
        var last = withKl.MetricsLines().Last(o => o["type"]!.GetValue<string>() == "train");
        Assert.Equal(2, last["step"]!.GetValue<int>());
        Assert.True(Kl(last) > 0, $"no positive KL metric in {last.ToJsonString()}");
        Assert.All(withoutKl.MetricsLines(), o => Assert.Null(Kl(o)));
        Assert.NotEqual(withKl.DeterministicMetrics()[^1], withoutKl.DeterministicMetrics()[^1]);
    }

    [Fact]
    public void FreshRunIntoAnOldRunFolder_Refuses_UnlessOverwrite()
    {
        using var run = new TinyRun(maxSteps: 1);
        Assert.Equal(0, RunProcess(run).Code);
        var (code, _, err) = RunProcess(run);
        Assert.NotEqual(0, code);
        Assert.Contains("already holds checkpoints", err);
        Assert.Equal(0, RunProcess(run, "--Training:Overwrite=true").Code);
    }

    [Theory]
    [InlineData("--Rollout:GroupSise=4", "Rollout:GroupSise: unknown key; did you mean Rollout:GroupSize?")]
    [InlineData("--Algorithm:Grpo:NumIterations=2", "Algorithm:Grpo:NumIterations: unknown key; it moved to Training:NumIterations.")]
    public void MisspeltOrMovedKey_IsAnError(string argument, string message)
    {
        using var run = new TinyRun();
        var (code, _, err) = RunProcess(run, argument);
        Assert.Equal(2, code);
        Assert.Contains(message, err);
    }

    [Fact]
    public void BadConfigValue_NamesKeyAndValue_ExitsNonZero()
    {
        using var run = new TinyRun();
        var (code, _, err) = RunProcess(run, "--Rollout:GroupSize=1");
        Assert.Equal(2, code);
        Assert.Contains("Rollout:GroupSize = 1", err);
    }

    [Fact]
    public void EnvironmentAndCommandLine_OverrideTheFile_CommandLineWins()
    {
        using var run = new TinyRun();
        var env = new Dictionary<string, string> { ["RLTRAINER__Rollout__MaxNewTokens"] = "5", ["RLTRAINER__Rollout__TopK"] = "7" };
        var (code, _, err) = RunProcess(run, env, "--Rollout:TopK=9", "--Training:MaxSteps=1");
        Assert.True(code == 0, err);
        var effective = File.ReadAllText(Path.Combine(run.RunDir, "effective-config.json"));
        Assert.Contains("\"MaxNewTokens\": 5", effective);
        Assert.Contains("\"TopK\": 9", effective);
    }

    /// Asynchronous rollouts (k = 2) keep the same guarantees: the producer stops, its queue is dropped, and the
    /// checkpoint's cursor is that of the last trained batch (TinyRun: 2 prompts a step).
    private static Dictionary<string, string> Staleness(int k) => new() { ["RLTRAINER__Training__MaxStaleness"] = k.ToString() };

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    public void Sigterm_FinishesWithACheckpoint_AndExitCodeZero(int maxStaleness)
    {
        using var run = new TinyRun(maxSteps: 100000, checkpointEvery: 0);
        using var p = Start(run, Staleness(maxStaleness));
        run.WaitForMetricsLines(2, () => p.HasExited, TimeSpan.FromSeconds(90));
        Process.Start("kill", $"-TERM {p.Id}")!.WaitForExit();
        Assert.True(p.WaitForExit(60_000));
        Assert.Equal(0, p.ExitCode);
        var last = new CheckpointManager(run.RunDir, 10).List()[^1];
        int steps = File.ReadAllLines(Path.Combine(run.RunDir, "metrics.jsonl")).Length;
        Assert.Equal(steps, CheckpointManager.LoadState(last).Step);
        Assert.Equal(new SamplerCursor(0, 2 * steps), CheckpointManager.LoadState(last).Cursor);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    public void Kill9_LeavesTheLastCheckpointIntact_AndTheRunResumes(int maxStaleness)
    {
        using var run = new TinyRun(maxSteps: 100000, checkpointEvery: 1);
        using (var p = Start(run, Staleness(maxStaleness)))
        {
            run.WaitForMetricsLines(3, () => p.HasExited, TimeSpan.FromSeconds(90));
            p.Kill(); // SIGKILL: may land in the middle of a checkpoint write
            p.WaitForExit();
        }
        var checkpoints = new CheckpointManager(run.RunDir, 10);
        var last = checkpoints.List()[^1];
        int step = CheckpointManager.LoadState(last).Step;
        Assert.Equal(new SamplerCursor(0, 2 * step), CheckpointManager.LoadState(last).Cursor);
        using (var m = HfModelFolder.Load(last, ComputeDevice.Cpu)) { }
        var (code, _, err) = RunProcess(run, Staleness(maxStaleness), "--Checkpoint:Resume=latest", $"--Training:MaxSteps={step + 1}");
        Assert.True(code == 0, err);
        var resumed = CheckpointManager.LoadState(checkpoints.List()[^1]);
        Assert.Equal(step + 1, resumed.Step);
        Assert.Equal(new SamplerCursor(0, 2 * (step + 1)), resumed.Cursor);   // no prompt skipped or trained twice
    }

    // ---- child-process helpers -------------------------------------------------------------------------------

    private static string Rltrainer => Path.Combine(AppContext.BaseDirectory, "rltrainer.dll");

    private static Process Start(TinyRun run, Dictionary<string, string> env, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in new[] { Rltrainer, "train", "--config", run.ConfigPath }.Concat(args)) psi.ArgumentList.Add(a);
        foreach (var (k, v) in env) psi.Environment[k] = v;
        var p = Process.Start(psi)!;
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        return p;
    }

    private static (int Code, string Out, string Err) RunProcess(TinyRun run, params string[] args) =>
        RunProcess(run, new Dictionary<string, string>(), args);

    private static (int Code, string Out, string Err) RunProcess(TinyRun run, Dictionary<string, string> env, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in new[] { Rltrainer, "train", "--config", run.ConfigPath }.Concat(args)) psi.ArgumentList.Add(a);
        foreach (var (k, v) in env) psi.Environment[k] = v;
        using var p = Process.Start(psi)!;
        var err = p.StandardError.ReadToEndAsync();
        var stdout = p.StandardOutput.ReadToEnd();
        Assert.True(p.WaitForExit(120_000), "rltrainer did not finish in 2 minutes");
        return (p.ExitCode, stdout, err.Result);
    }
}

[CollectionDefinition("serial", DisableParallelization = true)]
public class SerialCollection { }
