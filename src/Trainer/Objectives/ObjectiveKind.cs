namespace RlTrainer.Trainer.Objectives;

/// <summary>Which policy-optimization objective the trainer minimises; chosen once by <see cref="PolicyObjectiveFactory"/>.</summary>
public enum ObjectiveKind
{
    /// <summary>P3O / "Trust the Batch": ESS-capped REINFORCE plus a (1 − ESS)-weighted KL to the behaviour policy (<see cref="EssAdaptiveObjective"/>). The default.</summary>
    Ess,

    /// <summary>TRL's clipped surrogate family: grpo, bnpo, dr_grpo, dapo, with optional GSPO sequence ratios (<see cref="ClippedSurrogateObjective"/>).</summary>
    Grpo,
}
