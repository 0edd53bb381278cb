using System.ComponentModel.DataAnnotations;

namespace RlTrainer.Trainer.Optimization;

/// <summary>AdamW and its learning-rate schedule. Defaults follow TRL's GRPOConfig / transformers TrainingArguments
/// where they exist (lr 1e-6 there is for billion-parameter models; tiny models need far larger rates, set per config).</summary>
public sealed class OptimizerOptions
{
    public const string Section = "Optimizer";

    /// <summary>Peak learning rate. Default 1e-6 (TRL GRPOConfig).</summary>
    [Range(0.0, 10.0)] public double LearningRate { get; set; } = 1e-6;
    /// <summary>AdamW β1. Default 0.9.</summary>
    [Range(0.0, 0.999999)] public double Beta1 { get; set; } = 0.9;
    /// <summary>AdamW β2. Default 0.999.</summary>
    [Range(0.0, 0.999999999)] public double Beta2 { get; set; } = 0.999;
    /// <summary>AdamW ε. Default 1e-8.</summary>
    [Range(0.0, 1.0)] public double Epsilon { get; set; } = 1e-8;
    /// <summary>Decoupled weight decay. Default 0 (TRL); 0.01 is torch's AdamW default.</summary>
    [Range(0.0, 10.0)] public double WeightDecay { get; set; }
    /// <summary>Clip the global gradient L2 norm to this; 0 disables. Default 1.0 (TRL).</summary>
    [Range(0.0, 1e6)] public double MaxGradNorm { get; set; } = 1.0;
    /// <summary>constant, linear (to 0) or cosine (to MinLrRatio · peak). Default linear (TRL).</summary>
    public LrScheduleKind Schedule { get; set; } = LrScheduleKind.Linear;
    /// <summary>Linear warm-up steps from 0 to the peak. Default 0.</summary>
    [Range(0, int.MaxValue)] public int WarmupSteps { get; set; }
    /// <summary>Floor of the cosine schedule as a fraction of the peak. Default 0.</summary>
    [Range(0.0, 1.0)] public double MinLrRatio { get; set; }
}
