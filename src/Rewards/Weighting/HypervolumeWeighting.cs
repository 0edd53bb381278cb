namespace RlTrainer.Rewards.Weighting;

/// <summary>
/// DRW hypervolume-guided weighting (docs/algorithms.md#hypervolume-weighting). The user's component weights stay fixed; after each
/// validation the meta-reward r_pareto = a + b·tanh(ΔHV) is recomputed from the hypervolume gain of the new
/// validation point over the <see cref="ParetoBuffer"/>, and the trainer multiplies the next step's learning signal
/// by it. r_pareto starts at 1 and is 1 until the reference point exists.
/// </summary>
public sealed class HypervolumeWeighting
{
    private readonly HypervolumeWeightingOptions _options;

    public HypervolumeWeighting(HypervolumeWeightingOptions options)
    {
        _options = options;
        Buffer = new ParetoBuffer(options.TrackedComponents.Select(c => c.Direction).ToArray());
    }

    public IReadOnlyList<TrackedComponent> TrackedComponents => _options.TrackedComponents;
    public ParetoBuffer Buffer { get; }

    /// <summary>The multiplier for the next update (1 before the first gain is known).</summary>
    public double MetaReward { get; private set; } = 1.0;

    /// <summary>The ΔHV of the last observed point (0 before any).</summary>
    public double LastGain { get; private set; }

    /// <summary>
    /// Records a validation point (the tracked components' means in <see cref="TrackedComponents"/> order). The first point ever observed
    /// becomes the reference and leaves the meta-reward at 1; each later one updates the meta-reward and joins the
    /// buffer when it enlarges the hypervolume.
    /// </summary>
    /// <returns>ΔHV (0 for the reference point).</returns>
    public double Observe(double[] validationPoint)
    {
        if (!Buffer.HasReference)
        {
            Buffer.SetReference(validationPoint);
            LastGain = 0;
            return 0;
        }
        LastGain = Buffer.Offer(validationPoint);
        MetaReward = MetaRewardOf(LastGain);
        return LastGain;
    }

    /// <summary>r = a + b·tanh(ΔHV) with a = <see cref="HypervolumeWeightingOptions.Offset"/>, b = <see cref="HypervolumeWeightingOptions.Scale"/>.</summary>
    public double MetaRewardOf(double gain) => _options.Offset + _options.Scale * Math.Tanh(gain);

    /// <summary>Checkpoint restore: the buffer (reference first), the meta-reward and the last gain.</summary>
    public void Restore(IEnumerable<double[]> buffer, double metaReward, double lastGain)
    {
        if (!double.IsFinite(metaReward)) throw new ArgumentOutOfRangeException(nameof(metaReward));
        Buffer.Restore(buffer);
        MetaReward = metaReward;
        LastGain = lastGain;
    }
}
