using System.ComponentModel.DataAnnotations;

namespace RlTrainer.Trainer.Checkpoints;

/// <summary>When checkpoints are written and which are kept.</summary>
public sealed class CheckpointOptions
{
    public const string Section = "Checkpoint";

    /// <summary>Write a checkpoint every N steps (and always at the end and on stop); 0 = only then. Default 50.</summary>
    [Range(0, int.MaxValue)] public int Every { get; set; } = 50;
    /// <summary>Checkpoints kept; older ones are deleted. Default 3.</summary>
    [Range(1, 1000)] public int KeepLast { get; set; } = 3;
    /// <summary>Largest model-weights file in MB (10⁶ bytes); larger models are written as
    /// model-0000i-of-0000N.safetensors plus model.safetensors.index.json, as transformers' save_pretrained
    /// (max_shard_size "5GB") does. Default 5000.</summary>
    [Range(1, int.MaxValue)] public int MaxShardSizeMB { get; set; } = (int)(RlTrainer.Rollout.Model.HfModelFolder.DefaultMaxShardBytes / 1_000_000);
    /// <summary>"latest" (newest checkpoint of the run folder) or a checkpoint folder to resume from; empty = fresh run.</summary>
    public string? Resume { get; set; }
}
