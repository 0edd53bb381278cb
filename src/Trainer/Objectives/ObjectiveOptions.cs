using System.ComponentModel.DataAnnotations;

namespace RlTrainer.Trainer.Objectives;

/// <summary>Picks the policy objective. Each objective's own settings live in <see cref="EssOptions"/> and <see cref="GrpoOptions"/>.</summary>
public sealed class ObjectiveOptions
{
    public const string Section = "Algorithm";

    /// <summary>The objective to minimise. Default <see cref="ObjectiveKind.Ess"/> (P3O, "Trust the Batch").</summary>
    [EnumDataType(typeof(ObjectiveKind))]
    public ObjectiveKind Kind { get; set; } = ObjectiveKind.Ess;
}
