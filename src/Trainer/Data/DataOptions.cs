using System.ComponentModel.DataAnnotations;

namespace RlTrainer.Trainer.Data;

/// <summary>
/// Which Parquet files make the data set and how to read, shuffle and split them. Bound from the run config's
/// <c>"Data"</c> section; checked by <see cref="DataOptionsValidator"/>.
/// </summary>
public sealed class DataOptions
{
    /// <summary>The configuration section these options bind from.</summary>
    public const string Section = "Data";

    /// <summary>
    /// Files or glob patterns (<c>data/*.parquet</c>, <c>shards/**/train-*.parquet</c>), read in the order given;
    /// each pattern's matches in ordinal path order. Required. Default: empty.
    /// </summary>
    public List<string> Files { get; set; } = [];

    /// <summary>The column layout; <see cref="DataShape.Auto"/> detects it per file. Default: Auto.</summary>
    public DataShape Shape { get; set; } = DataShape.Auto;

    /// <summary>Column paths for <see cref="DataShape.Custom"/>, or overrides of a shape's defaults. Default: none.</summary>
    public ColumnMapping Columns { get; set; } = new();

    /// <summary>What to do with a null prompt or ground truth. Default: Error.</summary>
    public NullHandling Nulls { get; set; } = NullHandling.Error;

    /// <summary>
    /// The data source for rows whose file has no data-source column or whose value is null. Default: null, which
    /// means "openai/gsm8k" for GSM8K, "lighteval/MATH" for MATH (the names verl uses), else the file's name stem.
    /// </summary>
    public string? DataSource { get; set; }

    /// <summary>Whether the epoch sampler shuffles; false keeps file order every epoch. Default: true.</summary>
    public bool Shuffle { get; set; } = true;

    /// <summary>Seed of the per-epoch shuffle: the same seed and epoch give the same order. Default: 0.</summary>
    public long Seed { get; set; }

    /// <summary>
    /// Share of the rows held out for evaluation, chosen by a seeded hash of each row's content (so a row stays on
    /// its side whatever the file order). 0 disables; must be 0 when <see cref="HeldOutFiles"/> is set. Default: 0.
    /// </summary>
    [Range(0.0, 0.999999)]
    public double HeldOutFraction { get; set; }

    /// <summary>Seed of the held-out hash. Default: 0.</summary>
    public long HeldOutSeed { get; set; }

    /// <summary>Files or globs read as the held-out set instead of a fraction of <see cref="Files"/>. Default: empty.</summary>
    public List<string> HeldOutFiles { get; set; } = [];
}
