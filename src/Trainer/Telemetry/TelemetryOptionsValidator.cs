using Microsoft.Extensions.Options;

namespace RlTrainer.Trainer.Telemetry;

/// <summary>Checks what the annotations cannot: the endpoint's form and the three paths.</summary>
public sealed class TelemetryOptionsValidator : IValidateOptions<TelemetryOptions>
{
    public ValidateOptionsResult Validate(string? name, TelemetryOptions options)
    {
        const string s = TelemetryOptions.Section;
        var failures = new List<string>();
        if (!string.IsNullOrWhiteSpace(options.PrometheusEndpoint) && options.ListenUri() is null)
            failures.Add($"{s}:PrometheusEndpoint = '{options.PrometheusEndpoint}': expected a port (0-65535, on 127.0.0.1) or an " +
                         $"http URL without a path, such as http://127.0.0.1:9464/ (the paths are {s}:MetricsPath, LivePath, ReadyPath).");
        var paths = new[] { ("MetricsPath", options.MetricsPath), ("LivePath", options.LivePath), ("ReadyPath", options.ReadyPath) };
        foreach (var (key, path) in paths)
            if (string.IsNullOrEmpty(path) || path[0] != '/' || path.Contains('?') || path.Contains('#'))
                failures.Add($"{s}:{key} = '{path}': must start with '/' and hold no query or fragment.");
        foreach (var group in paths.GroupBy(p => p.Item2, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1))
            failures.Add($"{s}:{string.Join(", ", group.Select(p => p.Item1))} = '{group.Key}': each path must be different.");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
