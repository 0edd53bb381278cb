using System.ComponentModel.DataAnnotations;

namespace RlTrainer.Trainer.Objectives;

/// <summary>
/// Options of <c>Algorithm:Advantage:Normalization = Tmn</c>, section <c>Algorithm:Advantage:Tmn</c>. Defaults (docs/algorithms.md#tmn-advantages) from GoLongRL's
/// TMN script): α = 0.8, γ = 1, ε = 1e-6, difficulty reweighting on. The task of a sample is its data source.
/// </summary>
public sealed class TmnOptions
{
    /// <summary>α: smoothed pass threshold μ̃_u = α·μ_u + (1−α)·M_task. Default 0.8.</summary>
    [Range(0.0, 1.0)] public double Alpha { get; set; } = 0.8;

    /// <summary>γ: difficulty weights exp(±γ(0.5 − p_u)). Default 1.0.</summary>
    [Range(0.0, 100.0)] public double Gamma { get; set; } = 1.0;

    /// <summary>ε added to the task scale. Default 1e-6.</summary>
    [Range(0.0, 1.0)] public double Epsilon { get; set; } = 1e-6;

    /// <summary>Multiply in the difficulty-adaptive weights. Default true.</summary>
    public bool DifficultyReweight { get; set; } = true;
}
