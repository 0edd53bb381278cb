using RlTrainer.Trainer.Checkpoints;
using RlTrainer.Trainer.Data;

namespace RlTrainer.Trainer.Tests.Checkpoints;

public class CheckpointManagerTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("state-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void LoadState_ReadsACheckpointWrittenBeforeTheSnakeCaseSwitch()
    {
        // trainer_state.json as checkpoints held it before: .NET's default PascalCase names, indented.
        File.WriteAllText(Path.Combine(_dir, CheckpointManager.StateFile), """
            {
              "Step": 25,
              "Cursor": { "Epoch": 0, "Position": 400 },
              "ElapsedSeconds": 118.25,
              "Components": { "rollout_accounting": { "rollout/cum_tokens": 9000 } }
            }
            """);
        var state = CheckpointManager.LoadState(_dir);
        Assert.Equal((25, new SamplerCursor(0, 400), 118.25), (state.Step, state.Cursor, state.ElapsedSeconds));
        Assert.Equal(9000, state.Components["rollout_accounting"]!["rollout/cum_tokens"]!.GetValue<double>());
    }

    [Fact]
    public void LoadState_NotAState_NamesTheFile()
    {
        var path = Path.Combine(_dir, CheckpointManager.StateFile);
        File.WriteAllText(path, "{\"step\": \"many\"}");
        var e = Assert.Throws<InvalidDataException>(() => CheckpointManager.LoadState(_dir));
        Assert.StartsWith($"{path}: not a valid trainer state", e.Message);
    }
}
