using System.Text.Json.Nodes;
using RlTrainer.Trainer.Data;

namespace RlTrainer.Trainer.Checkpoints;

/// <summary>
/// Everything besides weights and optimizer moments that a resumed run needs to continue exactly: the step, the data
/// cursor, and the state of any component registered with the trainer (reward weighting, replay, ...).
/// Sampling needs no RNG state: every completion's seed is a function of (run seed, step, row).
/// </summary>
public sealed record TrainerState
{
    public int Step { get; init; }
    public SamplerCursor Cursor { get; init; } = new(0, 0);
    public double ElapsedSeconds { get; init; }
    public Dictionary<string, JsonNode?> Components { get; init; } = new();
}
