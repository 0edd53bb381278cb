using static TorchSharp.torch;

namespace RlTrainer.Trainer.Objectives;

/// <summary>
/// Group-relative advantages, as TRL computes them: rewards (B,) come in contiguous groups of G completions of the
/// same prompt; A = (r − nanmean_group(r)) / (nanstd(r) + ε), the std taken per group, over the batch, or not at all.
/// A NaN reward marks a completion no reward function could score: it is left out of means and stds and gets A = 0
/// (TRL's nan_to_num). Groups with fewer than two scorable rewards get A = 0 too (Bessel std undefined).
/// </summary>
public static class GroupAdvantage
{
    /// <summary>rewards (B,), B a multiple of <paramref name="groupSize"/> ≥ 2 → advantages (B,) in the rewards' dtype.</summary>
    public static Tensor Compute(Tensor rewards, int groupSize, ScaleRewards scale, double epsilon, bool unbiasedStd = true)
    {
        ThrowIfBadShape(rewards, groupSize);
        if (!(epsilon >= 0)) throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "epsilon must be >= 0.");
        using var scope = NewDisposeScope();
        var r = rewards.to_type(ScalarType.Float64).view(-1, groupSize);         // (P, G)
        var a = r - NanMean(r, 1);                                                // (P, G)
        if (scale != ScaleRewards.None)
        {
            var std = scale switch
            {
                ScaleRewards.Group => NanStd(r, 1, unbiasedStd),                  // (P, 1)
                ScaleRewards.Batch => NanStd(r.view(1, -1), 1, unbiasedStd),     // (1, 1)
                _ => throw new ArgumentOutOfRangeException(nameof(scale), scale, "unknown reward scaling."),
            };
            a = a / (std + epsilon);
        }
        a = where(a.isnan(), zeros_like(a), a);                                   // unscorable → 0
        return a.view(-1).to_type(rewards.dtype).MoveToOuterDisposeScope();      // (B,)
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

    private static Tensor NanMean(Tensor x, long dim)
    {
        var ok = x.isnan().logical_not();
        var sum = where(ok, x, zeros_like(x)).sum(dim, keepdim: true);
        return sum / ok.sum(dim, keepdim: true).to_type(x.dtype);               // 0/0 = NaN when all are NaN
    }

    // TRL's nanstd: NaN-free variance, Bessel factor n/(n−1), NaN when fewer than two values are present.
    private static Tensor NanStd(Tensor x, long dim, bool unbiased)
    {
        var ok = x.isnan().logical_not();
        var n = ok.sum(dim, keepdim: true).to_type(x.dtype);
        var d = where(ok, x - NanMean(x, dim), zeros_like(x));
        var ss = d.square().sum(dim, keepdim: true);
        var denom = unbiased ? n - 1 : n;
        return (ss / where(denom > 0, denom, full_like(denom, double.NaN))).sqrt();
    }

    private static void ThrowIfBadShape(Tensor rewards, int groupSize)
    {
        if (groupSize < 2)
            throw new ArgumentOutOfRangeException(nameof(groupSize), groupSize, "group size must be at least 2 (TRL num_generations >= 2).");
        if (rewards.dim() != 1)
            throw new ArgumentException($"rewards must be (B,); got ({string.Join(",", rewards.shape)}).", nameof(rewards));
        if (rewards.shape[0] % groupSize != 0)
            throw new ArgumentException($"rewards count {rewards.shape[0]} is not a multiple of the group size {groupSize}.", nameof(rewards));
    }
}
