namespace RlTrainer.Trainer.Objectives;

/// <summary>The one place an <see cref="ObjectiveKind"/> becomes an objective; called once when the trainer starts.</summary>
public static class PolicyObjectiveFactory
{
    public static IPolicyObjective Create(ObjectiveOptions objective, EssOptions ess, GrpoOptions grpo)
    {
        OptionsValidation.ThrowIfInvalid(objective, ObjectiveOptions.Section);
        return objective.Kind switch
        {
            ObjectiveKind.Ess => new EssAdaptiveObjective(ess),
            ObjectiveKind.Grpo => new ClippedSurrogateObjective(grpo),
            _ => throw new ArgumentOutOfRangeException(nameof(objective), objective.Kind, $"{ObjectiveOptions.Section}:Kind is not a known objective."),
        };
    }
}
