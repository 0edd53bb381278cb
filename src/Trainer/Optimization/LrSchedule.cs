namespace RlTrainer.Trainer.Optimization;

/// <summary>
/// Learning-rate multiplier per optimizer step, as transformers' get_*_schedule_with_warmup define them:
/// warm-up m = step / warmup; then constant 1, linear (T − step)/(T − warmup), or cosine
/// min + (1 − min)·½(1 + cos(π·progress)).
/// </summary>
public static class LrSchedule
{
    /// <param name="step">0-based index of the optimizer step about to be taken.</param>
    /// <param name="totalSteps">Planned optimizer steps.</param>
    public static double Multiplier(LrScheduleKind kind, int step, int totalSteps, int warmupSteps, double minRatio = 0)
    {
        if (step < warmupSteps) return (double)step / Math.Max(1, warmupSteps);
        if (kind == LrScheduleKind.Constant) return 1.0;
        double progress = (double)(step - warmupSteps) / Math.Max(1, totalSteps - warmupSteps);
        progress = Math.Clamp(progress, 0, 1);
        return kind switch
        {
            LrScheduleKind.Linear => 1.0 - progress,
            LrScheduleKind.Cosine => minRatio + (1 - minRatio) * 0.5 * (1 + Math.Cos(Math.PI * progress)),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
        };
    }
}
