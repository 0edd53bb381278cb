using RlTrainer.Rollout.Model;
using RlTrainer.Rollout.Tokenization;
using RlTrainer.Trainer.Checkpoints;
using RlTrainer.Trainer.Tests.Cli;
using static TorchSharp.torch;

namespace RlTrainer.Trainer.Tests.Training;

/// A LoRA run trains the adapters alone, checkpoints them in PEFT's layout, resumes exactly, and its adapter merges
/// into a full model that computes what base + adapter computes.
[Collection("serial")] // whole training runs
public class LoraTrainingTests
{
    internal static readonly string[] Lora = ["--Model:Lora:Enabled=true", "--Model:Lora:Rank=4", "--Model:Lora:Alpha=8", "--Model:Lora:TargetModules:0=all-linear"];

    // A random model's completions are all wrong: a regex reward gives the update some signal.
    internal static string[] WithSignal(TinyRun run, params string[] overrides)
    {
        var path = Path.Combine(run.Dir, "rewards.json");
        File.WriteAllText(path, """{ "components": [ { "name": "digits", "type": "format", "options": { "style": "regex", "pattern": ".*[0-9].*" } } ] }""");
        return [.. Lora, .. overrides, $"--Rewards:File={path}"];
    }

    private static float[] Logits(CausalLm m)
    {
        using var scope = NewDisposeScope();
        m.eval();
        using var noGrad = no_grad();
        var ids = tensor(new long[] { 1, 5, 9, 14, 3, 7 }).unsqueeze(0);
        return m.Forward(ids, arange(6L).unsqueeze(0), ones(1, 6, ScalarType.Bool)).to(ScalarType.Float32).flatten().data<float>().ToArray();
    }

    [Fact]
    public void Checkpoints_HoldTheAdapterAlone_TheBaseIsUntouched_AndItMergesToTheSameModel()
    {
        using var run = new TinyRun(maxSteps: 2);
        Assert.Equal(0, run.Train(WithSignal(run)));
        var last = new CheckpointManager(run.RunDir, 10).List()[^1];
        Assert.True(File.Exists(Path.Combine(last, "adapter_config.json")));
        Assert.True(File.Exists(Path.Combine(last, "adapter_model.safetensors")));
        Assert.False(File.Exists(Path.Combine(last, "model.safetensors")));
        // AdamW held the adapters' moments only: far below the 2-layer model's full state.
        long adapterBytes = new FileInfo(Path.Combine(last, "adapter_model.safetensors")).Length;
        long optimizerBytes = new FileInfo(Path.Combine(last, CheckpointManager.OptimizerFile)).Length;
        long modelBytes = new FileInfo(Path.Combine(run.ModelDir, "model.safetensors")).Length;
        Assert.InRange(optimizerBytes, adapterBytes, 3 * adapterBytes + 100_000);
        Assert.True(optimizerBytes < modelBytes, $"optimizer.bin {optimizerBytes} B, model {modelBytes} B");

        var tokenizer = HfTokenizer.Load(run.ModelDir);
        using var plain = HfModelFolder.Load(run.ModelDir, ComputeDevice.Cpu, tokenizer);
        using var adapted = AdaptedModel.Load(run.ModelDir, last, ComputeDevice.Cpu, tokenizer);
        var (basis, tuned) = (Logits(plain), Logits(adapted));
        Assert.True(basis.Zip(tuned).Max(p => Math.Abs(p.First - p.Second)) > 1e-6, "the adapter did not move the model");
        using (adapted.AdaptersDisabled()) Assert.Equal(basis, Logits(adapted));   // the base weights were frozen

        var merged = Path.Combine(run.Dir, "merged");
        var result = InProcessCli.Run("merge", "--model", run.ModelDir, "--adapter", last, "--out", merged);
        Assert.True(result.Code == 0, result.Err);
        using var full = HfModelFolder.Load(merged, ComputeDevice.Cpu, tokenizer);
        Assert.Null(full.Lora);
        Assert.True(tuned.Zip(Logits(full)).All(p => Math.Abs(p.First - p.Second) <= 1e-5), "merged logits differ from base + adapter");
    }


    [Fact]
    public void EvalAdapter_DecodesWithTheAdapter_AsTheMergedModelDoes()
    {
        using var run = new TinyRun(maxSteps: 1);
        var tokenizer = HfTokenizer.Load(run.ModelDir);
        var adapter = Path.Combine(run.Dir, "adapter");
        var merged = Path.Combine(run.Dir, "merged");
        using (var m = HfModelFolder.Load(run.ModelDir, ComputeDevice.Cpu, tokenizer))
        {
            m.AddLora(new LoraConfig { Rank = 4, Alpha = 8, TargetModules = [LoraConfig.AllLinear] }, seed: 2);
            using (no_grad())
                foreach (var (name, p) in m.LoraParameters().Where(x => x.PeftName.Contains("lora_B")))
                    p.uniform_(-0.5, 0.5);                 // far enough from the base to change greedy decoding
            PeftAdapterFolder.Save(m, adapter);
        }
        Assert.Equal(0, InProcessCli.Run("merge", "--model", run.ModelDir, "--adapter", adapter, "--out", merged).Code);

        string Greedy(params string[] model)
        {
            var samples = Path.Combine(run.Dir, $"samples-{Guid.NewGuid():N}.jsonl");
            var r = InProcessCli.Run(["eval", .. model, "--data", RepoPaths.Of("data", "arith", "test.parquet"), "--limit", "6", "--k", "1",
                "--max-new-tokens", "8", "--samples-out", samples]);
            Assert.True(r.Code == 0, r.Err);
            return File.ReadAllText(samples);
        }
        var withAdapter = Greedy("--model", run.ModelDir, "--adapter", adapter);
        Assert.Equal(Greedy("--model", merged), withAdapter);
        Assert.NotEqual(Greedy("--model", run.ModelDir), withAdapter);
    }

    [Fact]
    public void Resume_TwoStepsThenTwo_EqualsFourStraight()
    {
        using var straight = new TinyRun(maxSteps: 4);
        Assert.Equal(0, straight.Train(WithSignal(straight)));
        using var split = new TinyRun(maxSteps: 4);
        Assert.Equal(0, split.Train(WithSignal(split, "--Training:MaxSteps=2")));
        Assert.Equal(0, split.Train(WithSignal(split, "--Checkpoint:Resume=latest")));
        Assert.Equal(straight.DeterministicMetrics(), split.DeterministicMetrics());
    }

    [Fact]
    public void AMismatchedResume_IsOneClearError()
    {
        using var run = new TinyRun(maxSteps: 1);
        Assert.Equal(0, run.Train(Lora));
        var result = InProcessCli.Run("train", "--config", run.ConfigPath, "--Checkpoint:Resume=latest", "--Training:MaxSteps=2");
        InProcessCli.AssertError(result, 1, "holds a LoRA adapter: resume it with Model:Lora:Enabled=true");
    }
}
