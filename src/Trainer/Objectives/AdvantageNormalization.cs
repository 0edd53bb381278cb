namespace RlTrainer.Trainer.Objectives;

/// <summary>How rewards become advantages (<c>Algorithm:Advantage:Normalization</c>).</summary>
public enum AdvantageNormalization
{
    /// <summary>GRPO: centre and scale within each prompt's group (ScaleRewards, Epsilon, UnbiasedStd).</summary>
    Group,

    /// <summary>TMN-Reweight (docs/algorithms.md#tmn-advantages): centre per prompt, scale per task, difficulty-adaptive weights.</summary>
    Tmn,

    /// <summary>RLOO: each reward minus the mean of the other G − 1 rewards of its group, unscaled (TRL's RLOOTrainer),
    /// so a batch-wide reward multiplier such as r_pareto scales the update (docs/algorithms.md#rloo-advantages).</summary>
    Rloo,
}
