using RlTrainer.Rewards.Mixing;

namespace RlTrainer.Trainer.Objectives;

/// <summary>
/// Group-relative advantages, as TRL computes them: rewards (B,) come in contiguous groups of G completions of the
/// same prompt; A = (r − nanmean_group(r)) / (nanstd(r) + ε), the std taken per group, over the batch, or not at all.
/// A NaN reward marks a completion no reward function could score: it is left out of means and stds and gets A = 0
/// (TRL's nan_to_num). Groups with fewer than two scorable rewards get A = 0 too (Bessel std undefined).
/// </summary>
public static class GroupAdvantage
{
    /// <summary>rewards (B,), B a multiple of <paramref name="groupSize"/> ≥ 2 → advantages (B,).</summary>
    public static double[] Compute(IReadOnlyList<double> rewards, int groupSize, ScaleRewards scale, double epsilon, bool unbiasedStd = true)
    {
        ThrowIfBadShape(rewards.Count, groupSize);
        if (!(epsilon >= 0)) throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "epsilon must be >= 0.");
        if (scale is not (ScaleRewards.None or ScaleRewards.Group or ScaleRewards.Batch))
            throw new ArgumentOutOfRangeException(nameof(scale), scale, "unknown reward scaling.");
        var r = rewards as double[] ?? rewards.ToArray();
        double batchStd = scale == ScaleRewards.Batch ? GroupMoments.Of(r).Std(unbiasedStd) : double.NaN;
        var a = new double[r.Length];
        for (int start = 0; start < r.Length; start += groupSize)
        {
            var group = r.AsSpan(start, groupSize);
            var moments = GroupMoments.Of(group);
            double std = scale == ScaleRewards.Group ? moments.Std(unbiasedStd) : batchStd;
            for (int i = 0; i < groupSize; i++)
            {
                double centred = group[i] - moments.Mean;
                double value = scale == ScaleRewards.None ? centred : centred / (std + epsilon);
                a[start + i] = double.IsNaN(value) ? 0 : value;                   // unscorable → 0
            }
        }
        return a;
    }

    /// <summary>
    /// True when the non-NaN values are fewer than two or all exactly equal. Exact equality (FeynRL's "all shaped
    /// rewards equal") rather than a std threshold, so a group of identical non-dyadic rewards is never kept by noise.
    /// </summary>
    public static bool IsZeroVariance(ReadOnlySpan<double> groupRewards)
    {
        int scorable = 0;
        double first = double.NaN;
        foreach (var v in groupRewards)
        {
            if (double.IsNaN(v)) continue;
            if (scorable++ == 0) first = v;
            else if (v != first) return false;
        }
        return true;
    }

    private static void ThrowIfBadShape(int count, int groupSize)
    {
        if (groupSize < 2)
            throw new ArgumentOutOfRangeException(nameof(groupSize), groupSize, "group size must be at least 2 (TRL num_generations >= 2).");
        if (count % groupSize != 0)
            throw new ArgumentException($"rewards count {count} is not a multiple of the group size {groupSize}.", "rewards");
    }
}
