namespace RlTrainer.Trainer.Data;

/// <summary>
/// Which Parquet column holds each field of an <see cref="RlExample"/>. Paths are dotted for struct members
/// (<c>reward_model.ground_truth</c>). For <see cref="DataShape.Custom"/> these are the whole mapping and
/// <see cref="Prompt"/> and <see cref="GroundTruth"/> are required; for the other shapes a non-null entry replaces
/// that shape's default column (e.g. <c>"Target": "extra_info.answer"</c> for a verl file). Default: all null.
/// </summary>
public sealed class ColumnMapping
{
    /// <summary>A string column (one user message) or a list&lt;struct{role, content}&gt; column.</summary>
    public string? Prompt { get; set; }

    /// <summary>A string or integer column with the gold answer.</summary>
    public string? GroundTruth { get; set; }

    /// <summary>A string column naming the data set of each row; optional.</summary>
    public string? DataSource { get; set; }

    /// <summary>A string column with the ability tag; optional.</summary>
    public string? Ability { get; set; }

    /// <summary>A string column with a reference completion for SFT; optional.</summary>
    public string? Target { get; set; }

    /// <summary>A struct column whose scalar members become <see cref="RlExample.ExtraInfo"/>; optional.</summary>
    public string? ExtraInfo { get; set; }
}
