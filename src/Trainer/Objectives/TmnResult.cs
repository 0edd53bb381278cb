namespace RlTrainer.Trainer.Objectives;

/// <summary>TMN advantages (B,) and what to log: each task's scale s_m, the mean pass rate over prompts (NaN without
/// difficulty reweighting), and the share of samples whose difficulty weight is above 1.</summary>
public sealed record TmnResult(double[] Advantages, IReadOnlyDictionary<string, double> TaskScales, double MeanPassRate,
    double FractionWeightAboveOne);
