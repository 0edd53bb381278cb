using System.ComponentModel.DataAnnotations;

namespace RlTrainer.Trainer.Hosting;

/// <summary>When checkpoints are written and which are kept.</summary>
public sealed class CheckpointOptions
{
    public const string Section = "Checkpoint";

    /// <summary>Write a checkpoint every N steps (and always at the end and on stop); 0 = only then. Default 50.</summary>
    [Range(0, int.MaxValue)] public int Every { get; set; } = 50;
    /// <summary>Checkpoints kept; older ones are deleted. Default 3.</summary>
    [Range(1, 1000)] public int KeepLast { get; set; } = 3;
    /// <summary>"latest" (newest checkpoint of the run folder) or a checkpoint folder to resume from; empty = fresh run.</summary>
    public string? Resume { get; set; }
}
