using System.ComponentModel.DataAnnotations;

namespace RlTrainer.Trainer.Objectives;

/// <summary>
/// Settings of <see cref="EssAdaptiveObjective"/> (P3O, FeynRL <c>algs/P3O/p3o.py</c>). The objective itself has no
/// hyper-parameter: the cap and the behaviour-KL weight both come from the batch's ESS.
/// </summary>
public sealed class EssOptions
{
    public const string Section = "Ess";

    /// <summary>
    /// FeynRL <c>train.kl_coeff</c>: weight β_kl of the k3 KL to a frozen reference model (separate from the adaptive
    /// behaviour KL). 0 means no reference model is loaded. Default 0.
    /// </summary>
    [Range(0.0, 1000.0)]
    public double KlCoefficient { get; set; }

    /// <summary>
    /// FeynRL <c>train.entropy_coeff</c>: weight β_ent of the full-vocabulary entropy bonus, subtracted from the loss.
    /// Needs per-token entropies in the micro-batch. Default 0.
    /// </summary>
    [Range(0.0, 1000.0)]
    public double EntropyCoefficient { get; set; }

    /// <summary>FeynRL <c>train.clip_low</c>: only for the monitor-only clipfrac metric (r &lt; 1 − clip_low). Default 0.2.</summary>
    [Range(0.0, 1.0)]
    public double ClipLow { get; set; } = 0.2;

    /// <summary>FeynRL <c>train.clip_high</c>: only for the monitor-only clipfrac metric (r &gt; 1 + clip_high). Default 0.2.</summary>
    [Range(0.0, 100.0)]
    public double ClipHigh { get; set; } = 0.2;
}
