namespace RlTrainer.Trainer.Objectives;

/// <summary>
/// DAPO dynamic-sampling filter: a prompt group whose scorable rewards are all equal gives every member A = 0, so
/// it is dropped before training (verl recipe/dapo keeps a group iff its reward std &gt; 0; FeynRL iff its shaped
/// rewards differ). Rewards are contiguous groups of G; NaN marks an unscorable completion.
/// </summary>
public static class DynamicSampling
{
    /// <summary>rewards (B = P·G) → one flag per group: true = keep (the group has reward signal).</summary>
    public static bool[] KeepGroups(ReadOnlySpan<double> rewards, int groupSize)
    {
        if (groupSize < 1) throw new ArgumentOutOfRangeException(nameof(groupSize), groupSize, "group size must be at least 1.");
        if (rewards.Length % groupSize != 0)
            throw new ArgumentException($"rewards count {rewards.Length} is not a multiple of the group size {groupSize}.", nameof(rewards));
        var keep = new bool[rewards.Length / groupSize];
        for (int g = 0; g < keep.Length; g++)
            keep[g] = groupSize == 1 || !GroupAdvantage.IsZeroVariance(rewards.Slice(g * groupSize, groupSize));   // verl keeps n == 1
        return keep;
    }
}
