using RlTrainer.Trainer.Errors;

namespace RlTrainer.Trainer.Data;

/// <summary>
/// A data file that cannot be read as asked. The message names the file and, where they apply, the row group, the
/// column (dotted path) and the row (0-based, counted from the start of the file, as pandas and DuckDB count). It is
/// bad input: exit code 2.
/// </summary>
public sealed class DataFormatException : BadInputException
{
    /// <summary>Builds the message "file 'F', row group G, column 'C', row R: problem" from the parts that apply.</summary>
    public DataFormatException(string file, string problem, int? rowGroup = null, string? column = null,
        long? row = null, Exception? inner = null)
        : base(Describe(file, rowGroup, column, row) + ": " + problem, inner)
    {
        File = file;
        RowGroup = rowGroup;
        Column = column;
        Row = row;
    }

    /// <summary>The file, as given or as expanded from a glob.</summary>
    public string File { get; }

    /// <summary>The 0-based row group, or null for problems of the whole file.</summary>
    public int? RowGroup { get; }

    /// <summary>The column's dotted path, or null.</summary>
    public string? Column { get; }

    /// <summary>The 0-based row within the file, or null for problems of a whole column chunk.</summary>
    public long? Row { get; }

    private static string Describe(string file, int? rowGroup, string? column, long? row)
    {
        var where = $"file '{file}'";
        if (rowGroup is { } g) where += $", row group {g}";
        if (column is not null) where += $", column '{column}'";
        if (row is { } r) where += $", row {r}";
        return where;
    }
}
