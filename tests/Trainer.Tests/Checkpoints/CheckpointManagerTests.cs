using RlTrainer.Rollout.Model;
using RlTrainer.Trainer.Checkpoints;
using RlTrainer.Trainer.Data;
using RlTrainer.Trainer.Errors;
using RlTrainer.Trainer.Optimization;

namespace RlTrainer.Trainer.Tests.Checkpoints;

public sealed class CheckpointManagerTests : IDisposable
{
    private readonly string _run = Directory.CreateTempSubdirectory("ckpt-").FullName;
    public void Dispose() => Directory.Delete(_run, recursive: true);

    /// A file that takes <paramref name="capacity"/> bytes and then fails as a full disk does (ENOSPC).
    private sealed class FullDiskStream(string path, long capacity) : FileStream(path, FileMode.Create)
    {
        private void Room(int count)
        {
            if (Position + count > capacity) throw new IOException($"No space left on device : '{Name}'", 28);
        }

        public override void Write(byte[] buffer, int offset, int count) { Room(count); base.Write(buffer, offset, count); }
        public override void Write(ReadOnlySpan<byte> buffer) { Room(buffer.Length); base.Write(buffer); }
        public override void WriteByte(byte value) { Room(1); base.WriteByte(value); }
    }

    [Fact]
    public void FullDiskWhileWriting_RemovesTheTempFolder_KeepsThePreviousCheckpoint_ExitCode1()
    {
        var config = new ModelConfig
        {
            ModelType = "qwen2", VocabSize = 24, HiddenSize = 32, IntermediateSize = 64, NumHiddenLayers = 2,
            NumAttentionHeads = 4, NumKeyValueHeads = 2, HeadDim = 8, QkvBias = true,
        };
        using var model = new CausalLm(config, ComputeDevice.Cpu);
        using var adam = AdamWFactory.Create(model.parameters(), new OptimizerOptions());
        var tokenizer = RepoPaths.Of("data", "models", "tiny-math");
        var previous = new CheckpointManager(_run, keepLast: 2).Save(model, tokenizer, adam, new TrainerState { Step = 1 });
        var before = Directory.GetFiles(previous).ToDictionary(f => Path.GetFileName(f), File.ReadAllBytes);

        var full = new CheckpointManager(_run, keepLast: 2) { CreateOptimizerFile = p => new FullDiskStream(p, capacity: 100) };
        var e = Assert.Throws<RunFailedException>(() => full.Save(model, tokenizer, adam, new TrainerState { Step = 2 }));

        var target = Path.Combine(_run, "checkpoints", "step-000002");
        Assert.StartsWith($"checkpoint {target} not written: No space left on device : '", e.Message);
        Assert.EndsWith($"; its temporary folder was removed and the previous checkpoint {previous} is intact.", e.Message);
        Assert.Equal((ExitCodes.RuntimeFailure, e.Message), ErrorReport.Describe(e));
        Assert.Equal(new[] { previous }, Directory.GetDirectories(Path.Combine(_run, "checkpoints"))); // no .tmp- left
        Assert.Equal(before.Keys.Order(), Directory.GetFiles(previous).Select(f => Path.GetFileName(f)).Order());
        foreach (var (name, bytes) in before) Assert.Equal(bytes, File.ReadAllBytes(Path.Combine(previous, name)));
        Assert.Equal(1, CheckpointManager.LoadState(previous).Step);
    }

    [Fact]
    public void LoadState_ReadsACheckpointWrittenBeforeTheSnakeCaseSwitch()
    {
        // trainer_state.json as checkpoints held it before: .NET's default PascalCase names, indented.
        File.WriteAllText(Path.Combine(_run, CheckpointManager.StateFile), """
            {
              "Step": 25,
              "Cursor": { "Epoch": 0, "Position": 400 },
              "ElapsedSeconds": 118.25,
              "Components": { "rollout_accounting": { "rollout/cum_tokens": 9000 } }
            }
            """);
        var state = CheckpointManager.LoadState(_run);
        Assert.Equal((25, new SamplerCursor(0, 400), 118.25), (state.Step, state.Cursor, state.ElapsedSeconds));
        Assert.Equal(9000, state.Components["rollout_accounting"]!["rollout/cum_tokens"]!.GetValue<double>());
    }

    [Fact]
    public void LoadState_NotAState_NamesTheFile()
    {
        var path = Path.Combine(_run, CheckpointManager.StateFile);
        File.WriteAllText(path, "{\"step\": \"many\"}");
        var e = Assert.Throws<InvalidDataException>(() => CheckpointManager.LoadState(_run));
        Assert.StartsWith($"{path}: not a valid trainer state", e.Message);
    }
}
