namespace RlTrainer.Rewards.Weighting;

/// <summary>Whether a larger validation mean of an objective is better (accuracy) or worse (completion length).</summary>
public enum ObjectiveDirection
{
    Maximize,
    Minimize,
}
