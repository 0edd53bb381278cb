namespace RlTrainer.Rewards.Mixing;

/// <summary>
/// Count, mean and sum of squared deviations of one group's scorable values: the statistics behind every reward
/// normalisation here (group advantages, TMN's per-prompt variance, normalize_then_sum), as TRL's nanmean/nanstd
/// take them. NaN values are left out; mean = Σx/n and Σ(x − mean)² are summed in order.
/// </summary>
public readonly record struct GroupMoments(int Count, double Mean, double SumOfSquares)
{
    /// <summary>ε added to a std before dividing by it: TRL grpo_trainer.py's 1e-4 (verl 1e-6, FeynRL 1e-8).</summary>
    public const double DefaultEpsilon = 1e-4;

    /// <summary>The moments of the non-NaN values (Count 0 and Mean NaN when there are none).</summary>
    public static GroupMoments Of(ReadOnlySpan<double> values)
    {
        int n = 0;
        double sum = 0;
        foreach (var v in values)
            if (!double.IsNaN(v)) { sum += v; n++; }
        double mean = sum / n;
        double squares = 0;
        foreach (var v in values)
            if (!double.IsNaN(v)) squares += (v - mean) * (v - mean);
        return new GroupMoments(n, mean, squares);
    }

    /// <summary>Σ(x − mean)² / (n − 1) (Bessel, as TRL, verl and FeynRL) or / n; NaN when the divisor is not positive.</summary>
    public double Variance(bool unbiased = true) => (unbiased ? Count - 1 : Count) is var d and > 0 ? SumOfSquares / d : double.NaN;

    /// <summary>sqrt of <see cref="Variance"/>.</summary>
    public double Std(bool unbiased = true) => Math.Sqrt(Variance(unbiased));
}
