using System.Diagnostics;

namespace RlTrainer.Rewards.Verifiers;

/// <summary>
/// Wall-clock budget of one verification. Parsing, evaluation and comparison call <see cref="Check"/> in their
/// loops, so a pathological answer ends in a timeout (scored as not verified) instead of stalling a training step.
/// </summary>
internal sealed class VerifierBudget
{
    private readonly long _deadline;

    public VerifierBudget(TimeSpan limit)
    {
        var ticks = (long)(limit.TotalSeconds * Stopwatch.Frequency);
        _deadline = limit == Timeout.InfiniteTimeSpan ? long.MaxValue : Stopwatch.GetTimestamp() + Math.Max(0, ticks);
    }

    public static VerifierBudget Unlimited => new(Timeout.InfiniteTimeSpan);

    /// <exception cref="VerifierTimeoutException">when the budget is spent.</exception>
    public void Check()
    {
        if (Stopwatch.GetTimestamp() > _deadline) throw new VerifierTimeoutException();
    }
}
