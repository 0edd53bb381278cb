using System.ComponentModel.DataAnnotations;

namespace RlTrainer.Trainer.Sft;

/// <summary>Supervised fine-tuning on prompt + target completion, loss on completion tokens only.</summary>
public sealed class SftOptions
{
    /// <summary>Sequences per optimizer step. Default 32.</summary>
    [Range(1, 100000)] public int BatchSize { get; set; } = 32;
    /// <summary>Optimizer steps. Default 1000.</summary>
    [Range(1, int.MaxValue)] public int Steps { get; set; } = 1000;
    /// <summary>Sequences longer than this (prompt + target) are dropped, and counted. Default 256.</summary>
    [Range(2, 1 << 20)] public int MaxLength { get; set; } = 256;
    /// <summary>Shuffle and init seed. Default 0.</summary>
    public int Seed { get; set; }
    /// <summary>Log every N steps. Default 20.</summary>
    [Range(1, int.MaxValue)] public int LogEvery { get; set; } = 20;
}
