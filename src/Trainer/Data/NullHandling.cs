namespace RlTrainer.Trainer.Data;

/// <summary>What the reader does with a row whose prompt or ground truth is null.</summary>
public enum NullHandling
{
    /// <summary>Stop with a <see cref="DataFormatException"/> naming the file, row group, column and row.</summary>
    Error,

    /// <summary>Leave the row out and count it in <see cref="ParquetExampleReader.SkippedRows"/>.</summary>
    Skip,
}
