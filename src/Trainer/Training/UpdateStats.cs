namespace RlTrainer.Trainer.Training;

/// <summary>What the update phase of one step did: objective metrics (token-weighted means over micro-batches),
/// learning rate and gradient norm of the last optimizer step, completion tokens that entered the loss (all passes), time.</summary>
public sealed record UpdateStats(IReadOnlyDictionary<string, double> Metrics, double Lr, double GradNorm, long TrainedTokens,
    double Seconds, double AdvantageMean, double AdvantageStd, double AdvantageAbsMax);
