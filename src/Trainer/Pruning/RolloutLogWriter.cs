using System.Text.Json;
using RlTrainer.Trainer.Reporting;
using RlTrainer.Trainer.Contracts;

namespace RlTrainer.Trainer.Pruning;

/// <summary>Appends <see cref="RolloutLogRecord"/>s to a JSONL file, one flush per batch of records.</summary>
public sealed class RolloutLogWriter : IDisposable
{
    private readonly StreamWriter _writer;

    public RolloutLogWriter(string path)
    {
        var dir = Path.GetDirectoryName(Path.GetFullPath(path));
        if (dir is not null) Directory.CreateDirectory(dir);
        _writer = new StreamWriter(new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read));
    }

    public void Write(IEnumerable<RolloutLogRecord> records)
    {
        foreach (var r in records) _writer.WriteLine(OutputJson.Serialize(r));
        _writer.Flush();
    }

    public static IEnumerable<RolloutLogRecord> Read(string path)
    {
        int line = 0;
        foreach (var text in File.ReadLines(path))
        {
            line++;
            if (string.IsNullOrWhiteSpace(text)) continue;
            RolloutLogRecord? record;
            try { record = JsonSerializer.Deserialize<RolloutLogRecord>(text, OutputJson.Compact); }
            catch (JsonException e) { throw new InvalidDataException($"{path}: line {line}: not a rollout record: {e.Message}"); }
            if (record is null || record.Pieces.Count != record.TokenIds.Count)
                throw new InvalidDataException($"{path}: line {line}: \"pieces\" must have one entry per token of \"token_ids\"");
            yield return record;
        }
    }

    public void Dispose() => _writer.Dispose();
}
