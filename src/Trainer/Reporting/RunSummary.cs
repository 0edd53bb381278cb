namespace RlTrainer.Trainer.Reporting;

/// <summary>
/// The headline numbers of a run, from its metrics: last training step, wall time, tokens sampled and trained on,
/// best and last held-out accuracy ("eval/accuracy"), complete checkpoints and skipped metrics lines.
/// </summary>
/// <param name="TokensEstimated">True when some step had no "rollout/tokens" / "update/tokens" (runs written before
/// those keys existed) and its count was recovered as tokens_per_s × seconds.</param>
public sealed record RunSummary(int? Steps, double? WallSeconds, double? TokensGenerated, double? TokensTrained,
    bool TokensEstimated, MetricPoint? BestEval, MetricPoint? LastEval, int Checkpoints, int SkippedLines)
{
    public const string EvalKey = "eval/accuracy";

    public static RunSummary From(RunFolder run)
    {
        var m = run.Metrics;
        int? steps = m.Series.Where(s => s.LineType == "train" && s.Points.Count > 0)
            .Select(s => (int?)s.Points[^1].Step).DefaultIfEmpty(null).Max();
        var (generated, estGenerated) = Tokens(m, "rollout");
        var (trained, estTrained) = Tokens(m, "update");
        var eval = m.Find(EvalKey)?.Points;
        MetricPoint? best = eval is { Count: > 0 } ? eval.MaxBy(p => p.Value) : null;
        MetricPoint? last = eval is { Count: > 0 } ? eval[^1] : null;
        return new RunSummary(steps, m.WallSeconds, generated, trained, estGenerated || estTrained, best, last,
            run.Checkpoints.Count, m.Skipped.Count);
    }

    /// Σ over steps of "{phase}/tokens", or of tokens_per_s × seconds where a step lacks it (the trainer computes the
    /// rate as tokens / seconds, so the product gives the count back up to rounding).
    private static (double?, bool Estimated) Tokens(RunMetrics m, string phase)
    {
        var exact = m.Find($"{phase}/tokens")?.Points.ToDictionary(p => p.Step, p => p.Value) ?? new();
        var rate = m.Find($"{phase}/tokens_per_s")?.Points.ToDictionary(p => p.Step, p => p.Value) ?? new();
        var seconds = m.Find($"{phase}/seconds")?.Points.ToDictionary(p => p.Step, p => p.Value) ?? new();
        var estimatedSteps = rate.Keys.Where(s => !exact.ContainsKey(s) && seconds.ContainsKey(s)).ToArray();
        if (exact.Count == 0 && estimatedSteps.Length == 0) return (null, false);
        double total = exact.Values.Sum() + estimatedSteps.Sum(s => Math.Round(rate[s] * seconds[s]));
        return (total, estimatedSteps.Length > 0);
    }
}
