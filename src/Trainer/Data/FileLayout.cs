using Parquet.Schema;

namespace RlTrainer.Trainer.Data;

/// <summary>
/// Where one file keeps each field of an <see cref="RlExample"/>: the shape (given or detected) resolved against
/// the file's schema, with every type checked before any row is read.
/// </summary>
internal sealed class FileLayout
{
    public required DataShape Shape { get; init; }
    public required ColumnRef Prompt { get; init; }
    public required ColumnRef GroundTruth { get; init; }
    public required AnswerRule GroundTruthRule { get; init; }

    /// <summary>MATH only: the solution whose last \boxed{} stands in for a null <c>answer</c>.</summary>
    public ColumnRef? BoxedFallback { get; init; }

    public ColumnRef? DataSource { get; init; }
    public ColumnRef? Ability { get; init; }
    public ColumnRef? Target { get; init; }
    public required AnswerRule TargetRule { get; init; }
    public ColumnRef? ExtraInfo { get; init; }
    public required string DefaultDataSource { get; init; }

    /// <summary>How a column's text becomes the field.</summary>
    public enum AnswerRule { AsIs, Gsm8kFinalNumber, Gsm8kSteps, LastBoxed }

    /// <summary>A column path and its field in this file.</summary>
    public sealed record ColumnRef(string Path, Field Field);

    /// <summary>Picks the shape and columns for one file.</summary>
    /// <exception cref="DataFormatException">The shape cannot be detected, or a column is missing or mistyped.</exception>
    public static FileLayout Resolve(string file, ParquetSchema schema, DataOptions options)
    {
        var shape = options.Shape == DataShape.Auto ? Detect(file, schema) : options.Shape;
        var map = options.Columns;
        var stem = Path.GetFileNameWithoutExtension(file);
        switch (shape)
        {
            case DataShape.Verl:
                return new FileLayout
                {
                    Shape = shape,
                    Prompt = Required(file, schema, map.Prompt ?? "prompt", Kind.Prompt),
                    GroundTruth = Required(file, schema, map.GroundTruth ?? "reward_model.ground_truth", Kind.Answer),
                    GroundTruthRule = AnswerRule.AsIs,
                    DataSource = Optional(file, schema, map.DataSource, "data_source", Kind.Text),
                    Ability = Optional(file, schema, map.Ability, "ability", Kind.Text),
                    Target = Optional(file, schema, map.Target, "extra_info.target", Kind.Text),
                    TargetRule = AnswerRule.AsIs,
                    ExtraInfo = Optional(file, schema, map.ExtraInfo, "extra_info", Kind.Struct),
                    DefaultDataSource = options.DataSource ?? stem,
                };
            case DataShape.Gsm8k:
                return new FileLayout
                {
                    Shape = shape,
                    Prompt = Required(file, schema, map.Prompt ?? "question", Kind.Prompt),
                    GroundTruth = Required(file, schema, map.GroundTruth ?? "answer", Kind.Answer),
                    GroundTruthRule = map.GroundTruth is null ? AnswerRule.Gsm8kFinalNumber : AnswerRule.AsIs,
                    DataSource = Optional(file, schema, map.DataSource, null, Kind.Text),
                    Ability = Optional(file, schema, map.Ability, null, Kind.Text),
                    Target = Optional(file, schema, map.Target, "answer", Kind.Text),
                    TargetRule = map.Target is null ? AnswerRule.Gsm8kSteps : AnswerRule.AsIs,
                    ExtraInfo = Optional(file, schema, map.ExtraInfo, null, Kind.Struct),
                    DefaultDataSource = options.DataSource ?? "openai/gsm8k",
                };
            case DataShape.Math:
            {
                var solution = Required(file, schema, "solution", Kind.Text);
                var answer = map.GroundTruth is null ? Optional(file, schema, null, "answer", Kind.Answer) : null;
                return new FileLayout
                {
                    Shape = shape,
                    Prompt = Required(file, schema, map.Prompt ?? "problem", Kind.Prompt),
                    GroundTruth = map.GroundTruth is not null ? Required(file, schema, map.GroundTruth, Kind.Answer) : answer ?? solution,
                    GroundTruthRule = map.GroundTruth is null && answer is null ? AnswerRule.LastBoxed : AnswerRule.AsIs,
                    BoxedFallback = map.GroundTruth is null && answer is not null ? solution : null,
                    DataSource = Optional(file, schema, map.DataSource, null, Kind.Text),
                    Ability = Optional(file, schema, map.Ability, null, Kind.Text),
                    Target = map.Target is null ? solution : Required(file, schema, map.Target, Kind.Text),
                    TargetRule = AnswerRule.AsIs,
                    ExtraInfo = Optional(file, schema, map.ExtraInfo, null, Kind.Struct),
                    DefaultDataSource = options.DataSource ?? "lighteval/MATH",
                };
            }
            case DataShape.Custom:
                return new FileLayout
                {
                    Shape = shape,
                    Prompt = Required(file, schema, map.Prompt ?? throw Unmapped(file, "Prompt"), Kind.Prompt),
                    GroundTruth = Required(file, schema, map.GroundTruth ?? throw Unmapped(file, "GroundTruth"), Kind.Answer),
                    GroundTruthRule = AnswerRule.AsIs,
                    DataSource = Optional(file, schema, map.DataSource, null, Kind.Text),
                    Ability = Optional(file, schema, map.Ability, null, Kind.Text),
                    Target = Optional(file, schema, map.Target, null, Kind.Text),
                    TargetRule = AnswerRule.AsIs,
                    ExtraInfo = Optional(file, schema, map.ExtraInfo, null, Kind.Struct),
                    DefaultDataSource = options.DataSource ?? stem,
                };
            default:
                throw new ArgumentOutOfRangeException(nameof(options), shape, "unknown data shape");
        }
    }

    /// <summary>verl if it has prompt and reward_model, GSM8K if question and answer, MATH if problem and solution.</summary>
    public static DataShape Detect(string file, ParquetSchema schema)
    {
        bool Has(string name) => schema.Fields.Any(f => f.Name == name);
        if (Has("prompt") && Has("reward_model")) return DataShape.Verl;
        if (Has("question") && Has("answer")) return DataShape.Gsm8k;
        if (Has("problem") && Has("solution")) return DataShape.Math;
        var columns = string.Join(", ", schema.Fields.Select(f => f.Name));
        throw new DataFormatException(file,
            $"cannot tell the data shape from the columns [{columns}]: expected verl (prompt, reward_model), GSM8K " +
            "(question, answer) or MATH (problem, solution); set Data.Shape, and Data.Columns for another layout");
    }

    private enum Kind { Prompt, Answer, Text, Struct }

    private static DataFormatException Unmapped(string file, string field) =>
        new(file, $"Data.Columns.{field} must name a column when Data.Shape is Custom");

    private static ColumnRef Required(string file, ParquetSchema schema, string path, Kind kind)
    {
        var field = ParquetColumns.Find(schema, path) ?? throw new DataFormatException(file,
            $"missing column (the file has [{string.Join(", ", schema.Fields.Select(f => f.Name))}])", column: path);
        Check(file, path, field, kind);
        return new ColumnRef(path, field);
    }

    /// <summary>A column the user named must exist; a shape's default column may be absent.</summary>
    private static ColumnRef? Optional(string file, ParquetSchema schema, string? mapped, string? fallback, Kind kind)
    {
        if (mapped is not null) return Required(file, schema, mapped, kind);
        if (fallback is null || ParquetColumns.Find(schema, fallback) is not { } field) return null;
        Check(file, fallback, field, kind);
        return new ColumnRef(fallback, field);
    }

    private static void Check(string file, string path, Field field, Kind kind)
    {
        var ok = kind switch
        {
            Kind.Prompt => ParquetColumns.IsString(field) && field.MaxRepetitionLevel == 0 || IsMessageList(field),
            Kind.Answer => ParquetColumns.IsScalar(field) && ((DataField)field).ClrType != typeof(bool),
            Kind.Text => ParquetColumns.IsString(field) && field.MaxRepetitionLevel == 0,
            Kind.Struct => field is StructField { MaxRepetitionLevel: 0 },
            _ => false,
        };
        if (ok) return;
        var expected = kind switch
        {
            Kind.Prompt => "string or list<struct{role, content}>",
            Kind.Answer => "string or number",
            Kind.Text => "string",
            _ => "struct",
        };
        throw new DataFormatException(file, $"wrong column type {ParquetColumns.Describe(field)}; expected {expected}", column: path);
    }

    private static bool IsMessageList(Field field) =>
        field is ListField { MaxRepetitionLevel: 1, Item: StructField item } &&
        item.Fields.FirstOrDefault(f => f.Name == "role") is { } role && ParquetColumns.IsString(role) &&
        item.Fields.FirstOrDefault(f => f.Name == "content") is { } content && ParquetColumns.IsString(content);
}
