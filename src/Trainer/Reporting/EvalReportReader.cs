using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using RlTrainer.Trainer.Evaluation;

namespace RlTrainer.Trainer.Reporting;

/// <summary>
/// Reads the eval command's JSON output: one serialized <see cref="EvalReport"/> or an array of them. Property names
/// match whatever casing the writer chose (PascalCase, camelCase, snake_case): they are compared lower-cased without
/// '_', '-' or '@'. Missing or mistyped fields fail with the file, the JSON path and the value found.
/// </summary>
public static class EvalReportReader
{
    public static IReadOnlyList<EvalReport> Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"--eval '{path}': file not found.", path);
        JsonNode? root;
        try { root = JsonNode.Parse(File.ReadAllText(path)); }
        catch (JsonException e) { throw new InvalidDataException($"{path}: not valid JSON ({e.Message})"); }
        var reader = new Reader(path);
        return root switch
        {
            JsonArray a when a.Count > 0 => a.Select((n, i) => reader.Report(n, $"$[{i}]")).ToArray(),
            JsonArray => throw new InvalidDataException($"{path}: empty array, no eval report in it"),
            JsonObject => new[] { reader.Report(root, "$") },
            _ => throw new InvalidDataException($"{path}: expected an eval report object or an array of them, got {Describe(root)}"),
        };
    }

    private static string Describe(JsonNode? node) => node is null ? "null" : node.GetValueKind().ToString().ToLowerInvariant();

    private sealed class Reader(string file)
    {
        public EvalReport Report(JsonNode? node, string at)
        {
            var o = Object(node, at);
            return new EvalReport(
                String(o, at, "Model"), OptionalString(o, at, "Data") ?? "", Int(o, at, "K"), Double(o, at, "Temperature"),
                Scores(Field(o, at, "Overall", out var overall), $"{at}.{overall}"),
                Find(o, "BySource") is { } bs && bs.Value is not null
                    ? Object(bs.Value, $"{at}.{bs.Key}").ToDictionary(kv => kv.Key, kv => Scores(kv.Value, $"{at}.{bs.Key}.{kv.Key}"))
                    : new Dictionary<string, EvalScores>(),
                Double(o, at, "Seconds"), Double(o, at, "TokensPerSecond"));
        }

        private EvalScores Scores(JsonNode? node, string at)
        {
            var o = Object(node, at);
            var passAtK = new SortedDictionary<int, double>();
            if (Find(o, "PassAtK") is { Value: not null } p)
                foreach (var (k, v) in Object(p.Value, $"{at}.{p.Key}"))
                {
                    if (!int.TryParse(k, NumberStyles.None, CultureInfo.InvariantCulture, out int kk) || kk < 1)
                        throw Bad($"{at}.{p.Key}", $"key \"{k}\" is not a positive integer k");
                    passAtK[kk] = Number(v, $"{at}.{p.Key}.{k}");
                }
            return new EvalScores(Int(o, at, "Problems"), Double(o, at, "GreedyPass1"), OptionalDouble(o, at, "AvgAtK"),
                OptionalDouble(o, at, "MajAtK"), passAtK, Double(o, at, "FormatRate"), Double(o, at, "MeanCompletionTokens"),
                Double(o, at, "TruncationRate"), OptionalDouble(o, at, "ToolCallsPerCompletion"), OptionalDouble(o, at, "CompletionsWithCalls"));
        }

        private static string Normalize(string name) =>
            new(name.Where(c => c is not ('_' or '-' or '@')).Select(char.ToLowerInvariant).ToArray());

        private static KeyValuePair<string, JsonNode?>? Find(JsonObject o, string name)
        {
            var wanted = Normalize(name);
            foreach (var kv in o) if (Normalize(kv.Key) == wanted) return kv;
            return null;
        }

        /// <param name="key">The name as spelled in the file, for error messages.</param>
        private JsonNode Field(JsonObject o, string at, string name, out string key)
        {
            var found = Find(o, name);
            key = found?.Key ?? name;
            return found?.Value ?? throw Bad($"{at}.{name}", "is missing or null");
        }

        private JsonObject Object(JsonNode? node, string at) =>
            node as JsonObject ?? throw Bad(at, $"expected an object, got {Describe(node)}");

        private double Number(JsonNode? node, string at)
        {
            if (node is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.TryGetValue(out double d) && double.IsFinite(d)) return d;
            throw Bad(at, $"expected a number, got {node?.ToJsonString() ?? "null"}");
        }

        private double Double(JsonObject o, string at, string name) => Number(Field(o, at, name, out var key), $"{at}.{key}");

        private double? OptionalDouble(JsonObject o, string at, string name) =>
            Find(o, name) is { Value: not null } kv ? Number(kv.Value, $"{at}.{kv.Key}") : null;

        private int Int(JsonObject o, string at, string name)
        {
            double d = Number(Field(o, at, name, out var key), $"{at}.{key}");
            if (d != Math.Floor(d) || d < 0 || d > int.MaxValue) throw Bad($"{at}.{key}", $"expected a non-negative integer, got {d}");
            return (int)d;
        }

        private string String(JsonObject o, string at, string name) =>
            OptionalString(o, at, name) ?? throw Bad($"{at}.{name}", "is missing or null");

        private string? OptionalString(JsonObject o, string at, string name)
        {
            if (Find(o, name) is not { Value: not null } kv) return null;
            if (kv.Value is JsonValue v && v.GetValueKind() == JsonValueKind.String) return v.GetValue<string>();
            throw Bad($"{at}.{kv.Key}", $"expected a string, got {kv.Value.ToJsonString()}");
        }

        private InvalidDataException Bad(string at, string problem) => new($"{file}: {at} {problem}");
    }
}
