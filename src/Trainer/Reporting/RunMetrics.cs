using System.Text.Json;

namespace RlTrainer.Trainer.Reporting;

/// <summary>
/// A run's metrics.jsonl as series per key. Lines that cannot be used (not JSON, not an object, no integer "step",
/// no string "type", blank) are skipped and listed, so a run that crashed mid-line or was edited by hand still reports.
/// Non-numeric values are ignored key by key. When a step appears twice for a key, the later line wins: that is the
/// history a resumed run continued from.
/// </summary>
public sealed class RunMetrics
{
    public IReadOnlyList<MetricSeries> Series { get; }
    public IReadOnlyList<SkippedLine> Skipped { get; }
    /// <summary>Lines used.</summary>
    public int LineCount { get; }
    /// <summary>Largest "time_s" of any line: wall time of the run so far, resumed segments included.</summary>
    public double? WallSeconds { get; }

    private RunMetrics(IReadOnlyList<MetricSeries> series, IReadOnlyList<SkippedLine> skipped, int lineCount, double? wallSeconds)
    {
        Series = series;
        Skipped = skipped;
        LineCount = lineCount;
        WallSeconds = wallSeconds;
    }

    public MetricSeries? Find(string key) => Series.FirstOrDefault(s => s.Key == key);

    public static RunMetrics Load(string path)
    {
        // FileShare.ReadWrite: the trainer keeps the file open for appending while a report is built.
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        var lines = new List<string>();
        while (reader.ReadLine() is { } line) lines.Add(line);
        return Parse(lines);
    }

    public static RunMetrics Parse(IEnumerable<string> lines)
    {
        var values = new Dictionary<string, (string Type, int Order, SortedDictionary<int, double> ByStep)>(StringComparer.Ordinal);
        var skipped = new List<SkippedLine>();
        double? wall = null;
        int number = 0, used = 0;
        foreach (var line in lines)
        {
            number++;
            if (ReadLine(line) is not { } parsed)
            {
                skipped.Add(new SkippedLine(number, Problem(line)));
                continue;
            }
            used++;
            var (step, type, fields) = parsed;
            foreach (var (key, value) in fields)
            {
                if (key == "time_s") { wall = Math.Max(wall ?? value, value); continue; }
                if (!values.TryGetValue(key, out var entry))
                    values[key] = entry = (type, values.Count, new SortedDictionary<int, double>());
                entry.ByStep[step] = value;
            }
        }
        var series = values.Select(kv => new MetricSeries(kv.Key, kv.Value.Type, kv.Value.Order,
            kv.Value.ByStep.Select(p => new MetricPoint(p.Key, p.Value)).ToArray())).OrderBy(s => s.Order).ToArray();
        return new RunMetrics(series, skipped, used, wall);
    }

    private static (int Step, string Type, List<(string Key, double Value)> Fields)? ReadLine(string line)
    {
        if (string.IsNullOrWhiteSpace(line)) return null;
        try
        {
            using var doc = JsonDocument.Parse(line);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object) return null;
            if (!root.TryGetProperty("step", out var s) || s.ValueKind != JsonValueKind.Number || !s.TryGetInt32(out int step) || step < 0)
                return null;
            if (!root.TryGetProperty("type", out var t) || t.ValueKind != JsonValueKind.String) return null;
            var fields = new List<(string, double)>();
            foreach (var p in root.EnumerateObject())
                if (p.Name is not ("step" or "type") && p.Value.ValueKind == JsonValueKind.Number
                    && p.Value.TryGetDouble(out double v) && double.IsFinite(v))
                    fields.Add((p.Name, v));
            return (step, t.GetString()!, fields);
        }
        catch (JsonException) { return null; }
    }

    /// Why <see cref="ReadLine"/> refused a line, in words for the report (only called for refused lines).
    private static string Problem(string line)
    {
        if (string.IsNullOrWhiteSpace(line)) return "blank line";
        try
        {
            using var doc = JsonDocument.Parse(line);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                return "not a JSON object but " + root.ValueKind switch
                {
                    JsonValueKind.Array => "an array",
                    JsonValueKind.True or JsonValueKind.False => "a boolean",
                    JsonValueKind.Null => "null",
                    var k => "a " + k.ToString().ToLowerInvariant(),
                };
            if (!root.TryGetProperty("step", out var s)) return "no \"step\"";
            if (s.ValueKind != JsonValueKind.Number || !s.TryGetInt32(out int step) || step < 0)
                return $"\"step\" is {Shorten(s.GetRawText())}, not a non-negative integer";
            return root.TryGetProperty("type", out var t) ? $"\"type\" is {Shorten(t.GetRawText())}, not a string" : "no \"type\"";
        }
        catch (JsonException e)
        {
            // The parser's message ends with its own position bookkeeping ("LineNumber: 0 | ..."): the line number
            // of the file is what helps, so keep the first sentence only.
            var message = e.Message.Split(" LineNumber:", 2)[0].Trim();
            return $"not valid JSON ({message})";
        }
    }

    private static string Shorten(string raw) => raw.Length <= 40 ? raw : raw[..37] + "...";
}
