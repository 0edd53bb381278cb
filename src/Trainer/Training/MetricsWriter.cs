using System.Text.Json;
using System.Text.Json.Nodes;
using RlTrainer.Trainer.Telemetry;

namespace RlTrainer.Trainer.Training;

/// <summary>
/// Appends one JSON object per line to &lt;run&gt;/metrics.jsonl and flushes it, so a reader (or a crash) sees whole
/// lines only. On resume, lines for steps after the checkpoint are dropped: they were not part of the resumed history.
/// Each line is then handed to the observers (telemetry, health), so they publish the numbers of the file.
/// </summary>
public sealed class MetricsWriter : IDisposable
{
    public const string FileName = "metrics.jsonl";
    private readonly StreamWriter _writer;
    private readonly IReadOnlyList<IMetricsLineObserver> _observers;

    public string Path { get; }

    public MetricsWriter(string runDir, int resumeStep, IEnumerable<IMetricsLineObserver>? observers = null)
    {
        _observers = observers?.ToArray() ?? [];
        Path = System.IO.Path.Combine(runDir, FileName);
        if (File.Exists(Path)) TruncateAfter(resumeStep);
        _writer = new StreamWriter(new FileStream(Path, FileMode.Append, FileAccess.Write, FileShare.Read)) { AutoFlush = true };
    }

    public void Write(JsonObject line)
    {
        _writer.WriteLine(line.ToJsonString());
        foreach (var o in _observers) o.OnLine(line);
    }

    private void TruncateAfter(int step)
    {
        var kept = File.ReadLines(Path).Where(l =>
        {
            try { return JsonNode.Parse(l)?["step"]?.GetValue<int>() is int s && s <= step; }
            catch (JsonException) { return false; }
        }).ToList();
        File.WriteAllLines(Path, kept);
    }

    public void Dispose() => _writer.Dispose();
}
