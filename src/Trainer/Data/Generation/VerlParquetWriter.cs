using Parquet;
using Parquet.Schema;
using Parquet.Serialization;

namespace RlTrainer.Trainer.Data.Generation;

/// <summary>
/// Writes examples as verl-schema Parquet (zstd): data_source, prompt list&lt;struct{role, content}&gt;, ability,
/// reward_model struct{style "rule", ground_truth}, extra_info struct with the examples' extra fields.
/// </summary>
public static class VerlParquetWriter
{
    /// <summary>Rows per row group of the files written; several groups even in small files, so readers stream.</summary>
    public const int DefaultRowGroupSize = 5000;

    /// <summary>
    /// Writes the file. The extra_info struct takes its members, in order, from the first example's
    /// <see cref="RlExample.ExtraInfo"/> (string, long, int, double or bool values); a member another row lacks is null.
    /// </summary>
    public static async Task WriteAsync(string path, IReadOnlyList<RlExample> examples, int rowGroupSize = DefaultRowGroupSize,
        CancellationToken ct = default)
    {
        if (examples.Count == 0) throw new ArgumentException("nothing to write", nameof(examples));
        var extraFields = examples[0].ExtraInfo
            .Select(kv => new DataField(kv.Key, kv.Value?.GetType() ?? typeof(string), isNullable: true))
            .ToArray();
        var schema = new ParquetSchema(
            new DataField("data_source", typeof(string), isNullable: true),
            new ListField("prompt", new StructField("element",
                new DataField("role", typeof(string), isNullable: true),
                new DataField("content", typeof(string), isNullable: true))),
            new DataField("ability", typeof(string), isNullable: true),
            new StructField("reward_model",
                new DataField("style", typeof(string), isNullable: true),
                new DataField("ground_truth", typeof(string), isNullable: true)),
            new StructField("extra_info", extraFields));

        var rows = examples.Select(e => (IDictionary<string, object?>)new Dictionary<string, object?>
        {
            ["data_source"] = e.DataSource,
            ["prompt"] = e.Prompt.Select(m => new Dictionary<string, object?> { ["role"] = m.Role, ["content"] = m.Content }).ToList(),
            ["ability"] = e.Ability,
            ["reward_model"] = new Dictionary<string, object?> { ["style"] = "rule", ["ground_truth"] = e.GroundTruth },
            ["extra_info"] = extraFields.ToDictionary(f => f.Name, f => e.ExtraInfo.GetValueOrDefault(f.Name)),
        }).ToList();

        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null) Directory.CreateDirectory(directory);
        await using var stream = File.Create(path);
        await ParquetSerializer.SerializeUntypedAsync(rows, schema, stream,
            new ParquetOptions { CompressionMethod = CompressionMethod.Zstd, RowGroupSize = rowGroupSize }, cancellationToken: ct);
    }
}
