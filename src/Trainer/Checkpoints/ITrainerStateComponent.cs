using System.Text.Json.Nodes;

namespace RlTrainer.Trainer.Checkpoints;

/// <summary>A part of the trainer with state of its own that must survive a checkpoint (e.g. reward weights).</summary>
public interface ITrainerStateComponent
{
    /// <summary>Unique key in trainer_state.json.</summary>
    string Name { get; }
    JsonNode? SaveState();
    void LoadState(JsonNode? state);
}
