namespace RlTrainer.Trainer.Data;

/// <summary>The examples of one row group, as <see cref="ParquetExampleReader"/> streams them.</summary>
/// <param name="File">The file the row group belongs to.</param>
/// <param name="RowGroup">The 0-based row group index in the file.</param>
/// <param name="FirstRow">The 0-based file row of the row group's first row.</param>
/// <param name="RowCount">The rows in the row group, skipped ones included.</param>
/// <param name="Examples">The rows that were read, in file order (fewer than RowCount when nulls were skipped).</param>
public sealed record RowGroupBatch(string File, int RowGroup, long FirstRow, int RowCount, IReadOnlyList<RlExample> Examples);
