namespace RlTrainer.Trainer.Training;

/// <summary>Everything one step samples: G scored completions for each prompt, grouped contiguously.</summary>
public sealed record RolloutBatch(IReadOnlyList<RolloutSample> Samples, int GroupSize, IReadOnlyList<string> ComponentNames,
    double Seconds, long SampledTokens, int ZeroVarianceGroups, int DroppedGroups)
{
    public double[] Rewards => Samples.Select(s => s.Reward).ToArray();

    /// <summary>Extra metrics.jsonl keys of the step (e.g. remote/… from remote rollout engines).</summary>
    public IReadOnlyDictionary<string, double> Extra { get; init; } = new Dictionary<string, double>();

    /// <summary>The sampler's counters for the step (every generation batch) and how rows ended.</summary>
    public RolloutCost Cost { get; init; } = new();

    /// <summary>Multiplies the normalised advantages (the hypervolume weighting's r_pareto); 1 otherwise.</summary>
    public double AdvantageScale { get; init; } = 1.0;
}
