using RlTrainer.Rewards.Mixing;

namespace RlTrainer.Trainer.Objectives;

/// <summary>
/// TMN-Reweight advantages (GoLongRL, docs/algorithms.md#tmn-advantages, from <c>compute_tmn_grpo_outcome_advantage</c>): centre
/// each reward on its prompt's mean, but divide by a scale shared by the whole task, s_m = sqrt(mean over the task's
/// prompts of the unbiased within-prompt variance), so that one task's reward scale or one prompt's tiny spread does
/// not set the step size. With difficulty reweighting, each prompt's pass rate p_u against the smoothed threshold
/// α·μ_u + (1−α)·M_m gives above-mean samples exp(γ(0.5 − p_u)) and the others exp(γ(p_u − 0.5)): hard prompts
/// amplify their rare successes, easy prompts their rare failures. The task of a sample is its data source.
/// A NaN (unscorable) reward is left out of every statistic and gets A = 0, as in <see cref="GroupAdvantage"/>.
/// </summary>
public static class TmnAdvantage
{
    /// <param name="rewards">(B,) in contiguous groups of <paramref name="groupSize"/> completions of one prompt.</param>
    /// <param name="tasks">The task of each sample (constant within a group).</param>
    public static TmnResult Compute(IReadOnlyList<double> rewards, int groupSize, IReadOnlyList<string> tasks, TmnOptions options)
    {
        if (groupSize < 1 || rewards.Count % groupSize != 0)
            throw new ArgumentException($"rewards count {rewards.Count} is not a multiple of the group size {groupSize}.", nameof(rewards));
        if (tasks.Count != rewards.Count) throw new ArgumentException("one task per reward expected", nameof(tasks));
        int prompts = rewards.Count / groupSize;
        var stats = new PromptStats[prompts];
        for (int u = 0; u < prompts; u++) stats[u] = PromptStats.Of(rewards, u * groupSize, groupSize, tasks[u * groupSize]);

        // Per task: RMS of the within-prompt stds (the scale) and the mean of the prompt means (the smoothing anchor).
        var byTask = stats.Where(s => s.Count > 0).GroupBy(s => s.Task)
            .ToDictionary(g => g.Key, g => (Scale: Math.Sqrt(Math.Max(g.Average(s => s.Variance), 0)), Mean: g.Average(s => s.Mean)));

        var advantages = new double[rewards.Count];
        var passRates = new List<double>();
        int weighted = 0, aboveOne = 0;
        for (int u = 0; u < prompts; u++)
        {
            var s = stats[u];
            if (s.Count == 0) continue;
            var (scale, taskMean) = byTask[s.Task];
            double up = 1, down = 1;
            if (options.DifficultyReweight)
            {
                double threshold = s.Count == 1 ? taskMean : options.Alpha * s.Mean + (1 - options.Alpha) * taskMean;
                double pass = s.PassRate(rewards, u * groupSize, groupSize, threshold);
                passRates.Add(pass);
                up = Math.Exp(options.Gamma * (0.5 - pass));
                down = Math.Exp(options.Gamma * (pass - 0.5));
            }
            for (int i = u * groupSize; i < (u + 1) * groupSize; i++)
            {
                double r = rewards[i];
                if (double.IsNaN(r)) continue;
                // The sign test uses the unsmoothed prompt mean (as the released code does).
                double factor = r > s.Mean ? up : down;
                advantages[i] = (r - s.Mean) / (scale + options.Epsilon) * factor;
                weighted++;
                if (factor > 1) aboveOne++;
            }
        }
        return new TmnResult(advantages, byTask.ToDictionary(kv => kv.Key, kv => kv.Value.Scale),
            passRates.Count > 0 ? passRates.Average() : double.NaN, weighted > 0 ? (double)aboveOne / weighted : 0);
    }

    private readonly record struct PromptStats(string Task, int Count, double Mean, double Variance)
    {
        public static PromptStats Of(IReadOnlyList<double> rewards, int start, int size, string task)
        {
            var moments = GroupMoments.Of(Enumerable.Range(start, size).Select(i => rewards[i]).ToArray());
            // One scorable completion: GRPO's singleton convention, mean 0 and variance 1 (docs/algorithms.md#tmn-advantages).
            if (moments.Count == 1) return new PromptStats(task, 1, 0, 1);
            if (moments.Count == 0) return new PromptStats(task, 0, 0, 0);
            return new PromptStats(task, moments.Count, moments.Mean, moments.Variance());
        }

        public double PassRate(IReadOnlyList<double> rewards, int start, int size, double threshold)
        {
            int pass = 0;
            for (int i = start; i < start + size; i++) if (rewards[i] > threshold) pass++;   // strict >, NaN never passes
            return (double)pass / Count;
        }
    }
}
