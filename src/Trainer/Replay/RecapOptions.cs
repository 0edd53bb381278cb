using System.ComponentModel.DataAnnotations;

namespace RlTrainer.Trainer.Replay;

/// <summary>RECAP hyper-parameters (docs/algorithms.md#recap-weights). Bound from <c>Replay:Recap</c>.</summary>
public sealed class RecapOptions
{
    /// <summary>W: half of the sliding window; weights stay 1 for the first 2W steps. Default 10 (the paper's).</summary>
    [Range(1, 100_000)] public int Window { get; set; } = 10;
    /// <summary>T of the softmax over scores. Default 5 (the paper's; 0.1 is unstable, 30 slow).</summary>
    [Range(1e-6, 1e6)] public double Temperature { get; set; } = 5.0;
    /// <summary>Null: score s = c + i (main text). A value α in [0, 1]: s = α·c + (1 − α)·i (appendix). Default null.</summary>
    [Range(0.0, 1.0)] public double? Alpha { get; set; }
    /// <summary>ε in the instability i = σ / (μ + μ̃ + ε). Default 1e-8.</summary>
    [Range(0.0, 1.0)] public double Epsilon { get; set; } = 1e-8;
}
