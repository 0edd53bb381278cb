using System.Text;
using Parquet;
using Parquet.Schema;
using RlTrainer.Rollout.Tokenization;

namespace RlTrainer.Trainer.Data;

/// <summary>
/// Reads single columns of one row group into one value per row, from Parquet's flat values plus definition and
/// repetition levels. Only the columns an example needs are decoded; the rest of the row group is never touched.
/// </summary>
internal static class ParquetColumns
{
    /// <summary>The field at a dotted path (struct members joined by '.'), or null.</summary>
    public static Field? Find(ParquetSchema schema, string dottedPath)
    {
        IReadOnlyList<Field> level = schema.Fields;
        Field? found = null;
        foreach (var part in dottedPath.Split('.'))
        {
            found = level.FirstOrDefault(f => f.Name == part);
            if (found is null) return null;
            level = found is StructField s ? s.Fields : [];
        }

        return found;
    }

    /// <summary>A readable type name for error messages: "string", "int64", "list&lt;string&gt;", "struct{a, b}".</summary>
    public static string Describe(Field field) => field switch
    {
        DataField d when d.IsArray => $"list<{TypeName(d.ClrType)}>",
        DataField d => TypeName(d.ClrType),
        ListField l => $"list<{Describe(l.Item)}>",
        StructField s => $"struct{{{string.Join(", ", s.Fields.Select(f => f.Name))}}}",
        MapField => "map",
        _ => field.SchemaType.ToString(),
    };

    private static string TypeName(Type t) =>
        t == typeof(ReadOnlyMemory<char>) || t == typeof(string) ? "string"
        : t == typeof(ReadOnlyMemory<byte>) || t == typeof(byte[]) ? "binary"
        : t == typeof(bool) ? "boolean"
        : t == typeof(int) ? "int32"
        : t == typeof(long) ? "int64"
        : t == typeof(float) ? "float"
        : t == typeof(double) ? "double"
        : t.Name;

    /// <summary>Whether a column holds plain strings (UTF-8 text, or bytes that a writer left unannotated).</summary>
    public static bool IsString(Field field) =>
        field is DataField { IsArray: false } d && (d.ClrType == typeof(ReadOnlyMemory<char>) || d.ClrType == typeof(ReadOnlyMemory<byte>) ||
                                                     d.ClrType == typeof(string) || d.ClrType == typeof(byte[]));

    /// <summary>Whether <see cref="ReadScalarsAsync"/> can read the column.</summary>
    public static bool IsScalar(Field field) =>
        field is DataField { IsArray: false, MaxRepetitionLevel: 0 } d && (IsString(d) || ScalarTypes.Contains(d.ClrType));

    private static readonly HashSet<Type> ScalarTypes =
    [
        typeof(bool), typeof(sbyte), typeof(byte), typeof(short), typeof(ushort), typeof(int), typeof(uint),
        typeof(long), typeof(ulong), typeof(float), typeof(double), typeof(decimal),
    ];

    /// <summary>
    /// One value per row of a non-repeated scalar column (strings as <see cref="string"/>, numbers boxed), null
    /// where the value or any struct above it is null.
    /// </summary>
    public static async Task<object?[]> ReadScalarsAsync(ParquetRowGroupReader rowGroup, DataField field, int rows,
        CancellationToken ct)
    {
        var t = field.ClrType;
        if (t == typeof(ReadOnlyMemory<char>) || t == typeof(string))
            return await ReadAsync<ReadOnlyMemory<char>>(rowGroup, field, rows, v => v.ToString(), ct);
        if (t == typeof(ReadOnlyMemory<byte>) || t == typeof(byte[]))
            return await ReadAsync<ReadOnlyMemory<byte>>(rowGroup, field, rows, v => Encoding.UTF8.GetString(v.Span), ct);
        if (t == typeof(bool)) return await ReadAsync<bool>(rowGroup, field, rows, v => v, ct);
        if (t == typeof(sbyte)) return await ReadAsync<sbyte>(rowGroup, field, rows, v => (long)v, ct);
        if (t == typeof(byte)) return await ReadAsync<byte>(rowGroup, field, rows, v => (long)v, ct);
        if (t == typeof(short)) return await ReadAsync<short>(rowGroup, field, rows, v => (long)v, ct);
        if (t == typeof(ushort)) return await ReadAsync<ushort>(rowGroup, field, rows, v => (long)v, ct);
        if (t == typeof(int)) return await ReadAsync<int>(rowGroup, field, rows, v => v, ct);
        if (t == typeof(uint)) return await ReadAsync<uint>(rowGroup, field, rows, v => (long)v, ct);
        if (t == typeof(long)) return await ReadAsync<long>(rowGroup, field, rows, v => v, ct);
        if (t == typeof(ulong)) return await ReadAsync<ulong>(rowGroup, field, rows, v => v, ct);
        if (t == typeof(float)) return await ReadAsync<float>(rowGroup, field, rows, v => v, ct);
        if (t == typeof(double)) return await ReadAsync<double>(rowGroup, field, rows, v => v, ct);
        if (t == typeof(decimal)) return await ReadAsync<decimal>(rowGroup, field, rows, v => v, ct);
        throw new NotSupportedException($"type {Describe(field)} is not supported here");
    }

    /// <summary>
    /// The chat messages of each row of a list&lt;struct{role, content}&gt; column. A row whose list is null or empty,
    /// or that holds a null message, role or content, gets <see cref="PromptCell.Problem"/> instead.
    /// </summary>
    public static async Task<PromptCell[]> ReadMessagesAsync(ParquetRowGroupReader rowGroup, ListField list, int rows,
        CancellationToken ct)
    {
        var item = (StructField)list.Item;
        var roleField = (DataField)item.Fields.Single(f => f.Name == "role");
        var contentField = (DataField)item.Fields.Single(f => f.Name == "content");
        var (roles, roleDefs, roleReps, roleCount) = await ReadTextLeafAsync(rowGroup, roleField, ct);
        var (contents, contentDefs, _, contentCount) = await ReadTextLeafAsync(rowGroup, contentField, ct);
        if (roleCount != contentCount)
            throw new InvalidDataException($"'role' has {roleCount} entries but 'content' {contentCount}");

        var cells = new PromptCell[rows];
        var row = -1;
        List<ChatMessage>? messages = null;
        string? problem = null;
        int roleValue = 0, contentValue = 0;
        for (var i = 0; i < roleCount; i++)
        {
            // Repetition level 0 opens a new row; a definition level below the list's own means no element at all.
            if (roleReps![i] == 0)
            {
                if (row >= 0) cells[row] = Finish(messages, problem);
                if (++row >= rows) throw new InvalidDataException($"more than the row group's {rows} rows");
                messages = [];
                problem = null;
            }

            if (roleDefs![i] < list.MaxDefinitionLevel)
            {
                // One level below the list's own: the list is there but empty; lower: it (or a struct above it) is null.
                problem = roleDefs[i] == list.MaxDefinitionLevel - 1 ? "the prompt list is empty" : "the prompt is null";
                messages = null;
                continue;
            }

            var role = roleDefs[i] == roleField.MaxDefinitionLevel ? roles[roleValue++] : null;
            var content = contentDefs![i] == contentField.MaxDefinitionLevel ? contents[contentValue++] : null;
            if (role is null || content is null)
            {
                problem ??= $"prompt message {messages?.Count ?? 0} has a null {(role is null ? "role" : "content")}";
            }

            messages?.Add(new ChatMessage(role ?? "", content ?? ""));
        }

        if (row >= 0) cells[row] = Finish(messages, problem);
        if (row + 1 != rows) throw new InvalidDataException($"{row + 1} rows where the row group has {rows}");
        return cells;
    }

    private static PromptCell Finish(List<ChatMessage>? messages, string? problem) =>
        problem is not null || messages is null ? new PromptCell(null, problem ?? "the prompt is null") : new PromptCell(messages, null);

    private static async Task<object?[]> ReadAsync<T>(ParquetRowGroupReader rowGroup, DataField field, int rows,
        Func<T, object> box, CancellationToken ct) where T : struct
    {
        var (values, defs, _, count) = await ReadLeafAsync<T>(rowGroup, field, ct);
        if (count != rows) throw new InvalidDataException($"{count} values where the row group has {rows} rows");
        var result = new object?[rows];
        var next = 0;
        for (var i = 0; i < rows; i++)
        {
            // Values come packed (nulls take no slot); only the full definition level marks a present value.
            if (defs is null || defs[i] == field.MaxDefinitionLevel) result[i] = box(values[next++]);
        }

        return result;
    }

    private static async Task<(string[] Values, int[]? Defs, int[]? Reps, int Count)> ReadTextLeafAsync(
        ParquetRowGroupReader rowGroup, DataField field, CancellationToken ct)
    {
        if (field.ClrType == typeof(ReadOnlyMemory<byte>) || field.ClrType == typeof(byte[]))
        {
            var (bytes, byteDefs, byteReps, byteCount) = await ReadLeafAsync<ReadOnlyMemory<byte>>(rowGroup, field, ct);
            return (Array.ConvertAll(bytes, b => Encoding.UTF8.GetString(b.Span)), byteDefs, byteReps, byteCount);
        }

        var (chars, defs, reps, count) = await ReadLeafAsync<ReadOnlyMemory<char>>(rowGroup, field, ct);
        return (Array.ConvertAll(chars, c => c.ToString()), defs, reps, count);
    }

    private static async Task<(T[] Values, int[]? Defs, int[]? Reps, int Count)> ReadLeafAsync<T>(
        ParquetRowGroupReader rowGroup, DataField field, CancellationToken ct) where T : struct
    {
        var chunk = rowGroup.GetMetadata(field)?.MetaData ?? throw new InvalidDataException("the column chunk has no metadata");
        if (chunk.NumValues is < 0 or > int.MaxValue) throw new InvalidDataException($"implausible value count {chunk.NumValues}");
        var count = (int)chunk.NumValues;
        var values = new T[count];
        var defs = field.MaxDefinitionLevel > 0 ? new int[count] : null;
        var reps = field.MaxRepetitionLevel > 0 ? new int[count] : null;
        // Memory<int>? must stay null (not an empty Memory) for a level the column does not have.
        await rowGroup.ReadRawAsync<T>(field, values, defs is null ? (Memory<int>?)null : defs, reps is null ? (Memory<int>?)null : reps, ct);
        return (values, defs, reps, count);
    }
}

/// <summary>One row's prompt: the messages, or why there are none.</summary>
internal readonly record struct PromptCell(IReadOnlyList<ChatMessage>? Messages, string? Problem);
