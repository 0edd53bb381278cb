using System.ComponentModel.DataAnnotations;

namespace RlTrainer.Trainer.Replay;

/// <summary>
/// Replay of other data sets alongside the main task, against forgetting, and the weighting of the step's tasks.
/// Bound from the run config's <c>"Replay"</c> section; no sources (the default) means plain training. Checked by
/// <see cref="ReplayOptionsValidator"/>.
/// </summary>
public sealed class ReplayOptions
{
    public const string Section = "Replay";

    /// <summary>The replayed data sets. Default: none.</summary>
    public List<ReplaySourceOptions> Sources { get; set; } = [];
    /// <summary>
    /// Replayed share of a step's items: the main task keeps its Rollout:PromptsPerStep prompts and each source adds
    /// max(1, round(P·r / ((1 − r)·S))) items (prompts for RL sources, sequences for SFT ones), so S sources share
    /// the replay part equally and the main task is never starved. Default 0.5.
    /// </summary>
    [Range(0.0, 0.95)] public double Ratio { get; set; } = 0.5;
    /// <summary>Static weights or RECAP. Default Recap.</summary>
    public ReplayWeighting Weighting { get; set; } = ReplayWeighting.Recap;
    /// <summary>λ of the main task with <see cref="ReplayWeighting.Static"/>. Default 1.</summary>
    public double MainWeight { get; set; } = 1.0;
    /// <summary>RECAP hyper-parameters.</summary>
    public RecapOptions Recap { get; set; } = new();

    /// <summary>Items of one source per step.</summary>
    public int ItemsPerSource(int mainPromptsPerStep) =>
        Math.Max(1, (int)Math.Round(mainPromptsPerStep * Ratio / ((1 - Ratio) * Math.Max(1, Sources.Count)), MidpointRounding.AwayFromZero));
}
