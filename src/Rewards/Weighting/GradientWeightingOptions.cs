using System.ComponentModel.DataAnnotations;

namespace RlTrainer.Rewards.Weighting;

/// <summary>
/// Options of <c>"weighting": "gradient"</c>, JSON object <c>"gradient"</c>. Defaults (docs/algorithms.md#gradient-weighting) from the DRW
/// Qwen3 scripts): μ = 1e-5, M = 1, per-component clip 1.0.
/// </summary>
public sealed class GradientWeightingOptions
{
    /// <summary>μ: the mirror-descent step is η_t/μ with η_t the policy's learning rate. Default 1e-5.</summary>
    [Range(1e-300, double.MaxValue)] public double Regularization { get; init; } = 1e-5;

    /// <summary>M: influences are averaged over this many steps before the weights move. Default 1.</summary>
    [Range(1, 1_000_000)] public int AccumulationSteps { get; init; } = 1;

    /// <summary>Each reward component's gradient is clipped to this L2 norm before the Gram matrix. Default 1.0; 0 = no clip.</summary>
    [Range(0.0, double.MaxValue)] public double MaxGradNorm { get; init; } = 1.0;

    /// <summary>
    /// Decoder layer indices whose parameters form g_k (DRW uses the middle layers 10..25 of a 36-layer model);
    /// null (default) = every trainable parameter.
    /// </summary>
    public IReadOnlyList<int>? TargetLayers { get; init; }
}
