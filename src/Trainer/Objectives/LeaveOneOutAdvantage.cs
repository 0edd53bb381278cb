namespace RlTrainer.Trainer.Objectives;

/// <summary>
/// RLOO advantages: A_i = r_i − (Σ_{j≠i} r_j) / (G − 1) within each group of G completions, with no scaling, so the
/// advantages keep the rewards' units (a reward multiplier multiplies the update). Equals G/(G − 1)·(r_i − mean).
/// </summary>
public static class LeaveOneOutAdvantage
{
    /// <param name="rewards">(B,) rewards, groups of <paramref name="groupSize"/> contiguous; B a multiple of it.</param>
    public static double[] Compute(IReadOnlyList<double> rewards, int groupSize)
    {
        if (groupSize < 2) throw new ArgumentOutOfRangeException(nameof(groupSize), groupSize, "RLOO needs groups of at least 2");
        if (rewards.Count % groupSize != 0)
            throw new ArgumentException($"{rewards.Count} rewards do not split into groups of {groupSize}", nameof(rewards));
        var advantages = new double[rewards.Count];
        for (int start = 0; start < rewards.Count; start += groupSize)
        {
            double sum = 0;
            for (int i = start; i < start + groupSize; i++) sum += rewards[i];
            for (int i = start; i < start + groupSize; i++) advantages[i] = rewards[i] - (sum - rewards[i]) / (groupSize - 1);
        }
        return advantages;
    }
}
