namespace RlTrainer.Trainer.Contracts;

/// <summary>
/// Everything one step samples: G scored completions for each prompt, grouped contiguously. Built by name; the step's
/// extensions may hand on a changed copy (<c>batch with { … }</c>) after the rollout phase.
/// </summary>
public sealed record RolloutBatch
{
    public required IReadOnlyList<RolloutSample> Samples { get; init; }

    /// <summary>G: completions per prompt.</summary>
    public required int GroupSize { get; init; }

    /// <summary>The reward mix's component names, the order of <see cref="RolloutSample.Components"/>.</summary>
    public IReadOnlyList<string> ComponentNames { get; init; } = [];

    /// <summary>Wall time of the rollout phase (and of any extension that sampled more).</summary>
    public double Seconds { get; init; }

    /// <summary>Completion tokens generated for the step, dropped groups included.</summary>
    public long SampledTokens { get; init; }

    /// <summary>Groups whose rewards were all equal, before dynamic sampling dropped any.</summary>
    public int ZeroVarianceGroups { get; init; }

    /// <summary>Groups dynamic sampling dropped.</summary>
    public int DroppedGroups { get; init; }

    public double[] Rewards => Samples.Select(s => s.Reward).ToArray();

    /// <summary>Extra metrics.jsonl keys of the step (e.g. remote/… from remote rollout engines).</summary>
    public IReadOnlyDictionary<string, double> Extra { get; init; } = new Dictionary<string, double>();

    /// <summary>The sampler's counters for the step (every generation batch) and how rows ended.</summary>
    public RolloutCost Cost { get; init; } = new();

    /// <summary>Multiplies the normalised advantages (the hypervolume weighting's r_pareto); 1 otherwise.</summary>
    public double AdvantageScale { get; init; } = 1.0;
}
