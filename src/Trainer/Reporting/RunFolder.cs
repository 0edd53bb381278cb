using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using RlTrainer.Trainer.Checkpoints;
using RlTrainer.Trainer.Training;

namespace RlTrainer.Trainer.Reporting;

/// <summary>
/// What the report reads from one run folder: metrics.jsonl (required), effective-config.json (optional; flattened
/// to "Section:Key" = value, the spelling of command-line overrides) and the list of complete checkpoints.
/// </summary>
public sealed class RunFolder
{
    public const string ConfigFileName = "effective-config.json";

    // The page escapes markup itself; JSON's default \u003C escaping of '<' would only make values unreadable.
    private static readonly JsonSerializerOptions Verbatim = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public string Dir { get; }
    public RunMetrics Metrics { get; }
    /// <summary>"Section:Key" → value as JSON text (strings unquoted), in file order; empty when there is no config.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Config { get; }
    /// <summary>Why the config is missing or unreadable; null when it was read.</summary>
    public string? ConfigProblem { get; }
    public IReadOnlyList<string> Checkpoints { get; }

    private RunFolder(string dir, RunMetrics metrics, IReadOnlyList<KeyValuePair<string, string>> config, string? configProblem,
        IReadOnlyList<string> checkpoints)
    {
        Dir = dir;
        Metrics = metrics;
        Config = config;
        ConfigProblem = configProblem;
        Checkpoints = checkpoints;
    }

    public static RunFolder Load(string dir)
    {
        var full = Path.GetFullPath(dir);
        if (!Directory.Exists(full)) throw new DirectoryNotFoundException($"--run '{dir}': no such folder.");
        var metricsPath = Path.Combine(full, MetricsWriter.FileName);
        if (!File.Exists(metricsPath))
            throw new FileNotFoundException($"--run '{dir}': no {MetricsWriter.FileName} in it (is it a training run folder?).", metricsPath);
        var (config, problem) = ReadConfig(Path.Combine(full, ConfigFileName));
        var checkpoints = new CheckpointManager(full, int.MaxValue).List().Select(Path.GetFileName).ToArray();
        return new RunFolder(full, RunMetrics.Load(metricsPath), config, problem, checkpoints!);
    }

    private static (IReadOnlyList<KeyValuePair<string, string>>, string?) ReadConfig(string path)
    {
        if (!File.Exists(path)) return (Array.Empty<KeyValuePair<string, string>>(), $"no {ConfigFileName} in the run folder");
        try
        {
            var root = JsonNode.Parse(File.ReadAllText(path)) as JsonObject;
            if (root is null) return (Array.Empty<KeyValuePair<string, string>>(), $"{ConfigFileName} is not a JSON object");
            var entries = new List<KeyValuePair<string, string>>();
            Flatten(root, "", entries);
            return (entries, null);
        }
        catch (JsonException e)
        {
            return (Array.Empty<KeyValuePair<string, string>>(), $"{ConfigFileName} is not valid JSON ({e.Message})");
        }
    }

    private static void Flatten(JsonObject node, string prefix, List<KeyValuePair<string, string>> into)
    {
        foreach (var (key, value) in node)
        {
            var path = prefix.Length == 0 ? key : $"{prefix}:{key}";
            if (value is JsonObject child) Flatten(child, path, into);
            else into.Add(new(path, value switch
            {
                null => "null",
                JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
                _ => value.ToJsonString(Verbatim),
            }));
        }
    }
}
