using System.Globalization;
using System.Runtime.CompilerServices;
using Parquet;
using Parquet.Schema;
using RlTrainer.Rewards.Verifiers;

namespace RlTrainer.Trainer.Data;

/// <summary>
/// Streams <see cref="RlExample"/>s out of Parquet files one row group at a time: only the current row group's
/// needed columns are in memory. Files are read in order; each file's shape is detected or taken from the options.
/// </summary>
public sealed class ParquetExampleReader
{
    private readonly DataOptions _options;
    private readonly Dictionary<string, long> _skippedByColumn = new(StringComparer.Ordinal);

    /// <summary>Reads <see cref="DataOptions.Files"/>, globs expanded.</summary>
    /// <exception cref="DataFormatException">A named file does not exist or a glob matches nothing.</exception>
    public ParquetExampleReader(DataOptions options) : this(DataFiles.Resolve(options.Files), options)
    {
    }

    /// <summary>Reads the given files (no glob expansion) with the shape, mapping and null handling of the options.</summary>
    public ParquetExampleReader(IReadOnlyList<string> files, DataOptions options)
    {
        Files = files;
        _options = options;
    }

    /// <summary>The files read, in order.</summary>
    public IReadOnlyList<string> Files { get; }

    /// <summary>Rows left out so far because of a null prompt or ground truth (only with <see cref="NullHandling.Skip"/>).</summary>
    public long SkippedRows => _skippedByColumn.Values.Sum();

    /// <summary>Skipped rows by the column that was null, e.g. { "reward_model.ground_truth": 2 }.</summary>
    public IReadOnlyDictionary<string, long> SkippedByColumn => _skippedByColumn;

    /// <summary>Row groups decoded so far; streaming means this grows one at a time as the caller pulls.</summary>
    public int RowGroupsRead { get; private set; }

    /// <summary>Every example of every file, in file and row order, decoded one row group at a time.</summary>
    public IEnumerable<RlExample> ReadExamples() =>
        ReadRowGroupsAsync().ToBlockingEnumerable().SelectMany(batch => batch.Examples);

    /// <summary>The files' row groups in order, each decoded when the caller asks for it.</summary>
    /// <exception cref="DataFormatException">An unreadable, empty or mistyped file, or a null where nulls are errors.</exception>
    public async IAsyncEnumerable<RowGroupBatch> ReadRowGroupsAsync([EnumeratorCancellation] CancellationToken ct = default)
    {
        foreach (var file in Files)
        {
            await using var reader = await OpenAsync(file, ct);
            var layout = FileLayout.Resolve(file, reader.Schema, _options);
            if (reader.RowGroups.Sum(g => g.RowCount) == 0) throw new DataFormatException(file, "the file has no rows");

            var firstRow = 0L;
            for (var g = 0; g < reader.RowGroupCount; g++)
            {
                ct.ThrowIfCancellationRequested();
                using var rowGroup = reader.OpenRowGroupReader(g);
                var rows = checked((int)rowGroup.RowCount);
                var examples = await ReadRowGroupAsync(file, g, firstRow, rows, rowGroup, layout, ct);
                RowGroupsRead++;
                yield return new RowGroupBatch(file, g, firstRow, rows, examples);
                firstRow += rows;
            }
        }
    }

    private static async Task<ParquetReader> OpenAsync(string file, CancellationToken ct)
    {
        try
        {
            return await ParquetReader.CreateAsync(file, cancellationToken: ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            throw new DataFormatException(file, $"not a readable Parquet file ({ex.Message})", inner: ex);
        }
    }

    private async Task<List<RlExample>> ReadRowGroupAsync(string file, int g, long firstRow, int rows,
        ParquetRowGroupReader rowGroup, FileLayout layout, CancellationToken ct)
    {
        // Every column is decoded whole first, so a damaged chunk is reported by column before any row is built.
        async Task<T> Decode<T>(FileLayout.ColumnRef column, Func<Task<T>> read)
        {
            try
            {
                return await read();
            }
            catch (Exception ex) when (ex is not (OperationCanceledException or DataFormatException))
            {
                throw new DataFormatException(file, $"cannot decode rows {firstRow}-{firstRow + rows - 1} ({ex.Message})",
                    g, column.Path, inner: ex);
            }
        }

        Task<object?[]> Scalars(FileLayout.ColumnRef? column) => column is null
            ? Task.FromResult(new object?[rows])
            : Decode(column, () => ParquetColumns.ReadScalarsAsync(rowGroup, (DataField)column.Field, rows, ct));

        var prompts = layout.Prompt.Field is ListField list
            ? await Decode(layout.Prompt, () => ParquetColumns.ReadMessagesAsync(rowGroup, list, rows, ct))
            : Array.ConvertAll(await Scalars(layout.Prompt), v => v is string s
                ? new PromptCell([new("user", s)], null)
                : new PromptCell(null, "the prompt is null"));
        var truths = await Scalars(layout.GroundTruth);
        var fallback = await Scalars(layout.BoxedFallback);
        var sources = await Scalars(layout.DataSource);
        var abilities = await Scalars(layout.Ability);
        var targets = layout.Target == layout.GroundTruth ? truths : await Scalars(layout.Target);
        var extras = await ReadExtraInfoAsync(layout.ExtraInfo, rows, Scalars);

        var examples = new List<RlExample>(rows);
        for (var i = 0; i < rows; i++)
        {
            var row = firstRow + i;
            if (prompts[i].Messages is not { } messages)
            {
                Null(file, g, layout.Prompt.Path, row, prompts[i].Problem!);
                continue;
            }

            var truth = GroundTruth(file, g, row, layout, truths[i], fallback[i]);
            if (truth is null) continue;
            var target = targets[i] is string t && layout.TargetRule == FileLayout.AnswerRule.Gsm8kSteps ? Gsm8kAnswer.Target(t) : targets[i] as string;
            examples.Add(new RlExample(messages, truth, sources[i] as string ?? layout.DefaultDataSource, abilities[i] as string, target)
            {
                SourceFile = file,
                Index = row,
                ExtraInfo = extras[i],
            });
        }

        return examples;
    }

    /// <summary>The row's ground truth after the shape's rule; null when the row was skipped.</summary>
    private string? GroundTruth(string file, int g, long row, FileLayout layout, object? value, object? fallback)
    {
        var path = layout.GroundTruth.Path;
        if (value is null && fallback is string solution)
        {
            // MATH-500 style: a null `answer` falls back to the solution's last \boxed{}.
            value = AnswerExtractor.LastBoxed(solution);
            path = layout.BoxedFallback!.Path;
            if (value is null) throw new DataFormatException(file, "answer is null and the solution has no \\boxed{} answer", g, path, row);
        }

        if (value is null)
        {
            Null(file, g, path, row, layout.GroundTruthRule == FileLayout.AnswerRule.AsIs ? "the ground truth is null" : "the answer text is null");
            return null;
        }

        var text = value switch
        {
            string s => s,
            double d => d.ToString("R", CultureInfo.InvariantCulture),
            float f => f.ToString("R", CultureInfo.InvariantCulture),
            IFormattable n => n.ToString(null, CultureInfo.InvariantCulture),
            _ => value.ToString()!,
        };
        return layout.GroundTruthRule switch
        {
            FileLayout.AnswerRule.Gsm8kFinalNumber => Gsm8kAnswer.GroundTruth(text)
                ?? throw new DataFormatException(file, "the answer has no final '#### N' line", g, path, row),
            FileLayout.AnswerRule.LastBoxed => AnswerExtractor.LastBoxed(text)
                ?? throw new DataFormatException(file, "the solution has no \\boxed{} answer", g, path, row),
            _ => text,
        };
    }

    private void Null(string file, int g, string column, long row, string problem)
    {
        if (_options.Nulls == NullHandling.Error) throw new DataFormatException(file, problem, g, column, row);
        _skippedByColumn[column] = _skippedByColumn.GetValueOrDefault(column) + 1;
    }

    private static async Task<IReadOnlyDictionary<string, object?>[]> ReadExtraInfoAsync(FileLayout.ColumnRef? column, int rows,
        Func<FileLayout.ColumnRef?, Task<object?[]>> scalars)
    {
        var result = new IReadOnlyDictionary<string, object?>[rows];
        var dictionaries = new Dictionary<string, object?>[rows];
        for (var i = 0; i < rows; i++) result[i] = dictionaries[i] = new Dictionary<string, object?>(StringComparer.Ordinal);
        if (column?.Field is not StructField root) return result;

        // Scalar members only, nested structs flattened to dotted keys; lists and maps inside extra_info are left out.
        foreach (var (key, leaf) in ScalarLeaves(root, ""))
        {
            var values = await scalars(new FileLayout.ColumnRef($"{column.Path}.{key}", leaf));
            for (var i = 0; i < rows; i++)
            {
                if (values[i] is { } v) dictionaries[i][key] = v;
            }
        }

        return result;
    }

    private static IEnumerable<(string Key, DataField Leaf)> ScalarLeaves(StructField parent, string prefix)
    {
        foreach (var field in parent.Fields)
        {
            if (field is StructField nested)
            {
                foreach (var leaf in ScalarLeaves(nested, $"{prefix}{field.Name}.")) yield return leaf;
            }
            else if (ParquetColumns.IsScalar(field))
            {
                yield return ($"{prefix}{field.Name}", (DataField)field);
            }
        }
    }
}
