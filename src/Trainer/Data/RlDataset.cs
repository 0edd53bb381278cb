using RlTrainer.Trainer.Errors;

namespace RlTrainer.Trainer.Data;

/// <summary>
/// The train and held-out examples a run uses, read as <see cref="DataOptions"/> say. This is what the trainer and
/// the evaluator load; <see cref="CreateSampler"/> gives the epoch sampler over the train part.
/// </summary>
public sealed class RlDataset
{
    private readonly DataOptions _options;

    private RlDataset(DataOptions options, IReadOnlyList<RlExample> train, IReadOnlyList<RlExample> heldOut, long skippedRows)
    {
        _options = options;
        Train = train;
        HeldOut = heldOut;
        SkippedRows = skippedRows;
    }

    /// <summary>The examples to train on, in file order.</summary>
    public IReadOnlyList<RlExample> Train { get; }

    /// <summary>The held-out examples (by fraction or from <see cref="DataOptions.HeldOutFiles"/>); empty when neither is set.</summary>
    public IReadOnlyList<RlExample> HeldOut { get; }

    /// <summary>Rows skipped for nulls, over all files read (with <see cref="NullHandling.Skip"/>).</summary>
    public long SkippedRows { get; }

    /// <summary>Reads and splits the data.</summary>
    /// <exception cref="BadInputException">The options fail <see cref="DataOptionsValidator"/>, or no row is left to train on.</exception>
    /// <exception cref="DataFormatException">A file is missing, unreadable, mistyped or has a null where nulls are errors.</exception>
    public static RlDataset Load(DataOptions options)
    {
        var check = new DataOptionsValidator().Validate(null, options);
        if (check.Failed) throw new BadInputException(string.Join(Environment.NewLine, check.Failures!));

        var reader = new ParquetExampleReader(options);
        var all = reader.ReadExamples().ToList();
        if (all.Count == 0)
            throw new BadInputException($"{DataOptions.Section}:Files = {string.Join(", ", options.Files)}: no rows to train on " +
                                        $"({reader.SkippedRows} skipped for nulls; Data:Nulls = {options.Nulls}).");
        if (options.HeldOutFiles.Count > 0)
        {
            var heldOutReader = new ParquetExampleReader(DataFiles.Resolve(options.HeldOutFiles), options);
            var heldOut = heldOutReader.ReadExamples().ToList();
            return new RlDataset(options, all, heldOut, reader.SkippedRows + heldOutReader.SkippedRows);
        }

        if (options.HeldOutFraction > 0)
        {
            var (train, heldOut) = HeldOutSplit.Split(all, options.HeldOutFraction, options.HeldOutSeed);
            return new RlDataset(options, train, heldOut, reader.SkippedRows);
        }

        return new RlDataset(options, all, [], reader.SkippedRows);
    }

    /// <summary>An epoch sampler over <see cref="Train"/> with the options' seed and shuffle switch, at epoch 0.</summary>
    public EpochSampler CreateSampler() => new(Train, _options.Seed, _options.Shuffle);
}
