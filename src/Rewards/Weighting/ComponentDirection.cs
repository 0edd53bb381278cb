namespace RlTrainer.Rewards.Weighting;

/// <summary>Whether a larger validation mean of a tracked reward component is better (accuracy) or worse (completion length).</summary>
public enum ComponentDirection
{
    Maximize,
    Minimize,
}
