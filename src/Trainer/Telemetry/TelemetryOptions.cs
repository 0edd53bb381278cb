using System.ComponentModel.DataAnnotations;
using System.Globalization;

namespace RlTrainer.Trainer.Telemetry;

/// <summary>
/// The scrape and health endpoint of the training service. The step metrics are always published through the
/// System.Diagnostics.Metrics meter "RlTrainer"; this section decides whether they are also served over HTTP.
/// </summary>
public sealed class TelemetryOptions
{
    public const string Section = "Telemetry";

    /// <summary>Where the Prometheus scrape path and the health paths listen: an http URL with an empty path
    /// ("http://127.0.0.1:9464/"), or a bare port ("9464", which means loopback: http://127.0.0.1:9464/); port 0 takes
    /// a free port, logged at start. Empty: no endpoint. Default empty (off).</summary>
    public string? PrometheusEndpoint { get; set; }
    /// <summary>Path of the metrics in the Prometheus text format. Default "/metrics".</summary>
    public string MetricsPath { get; set; } = "/metrics";
    /// <summary>Liveness path: 200 while steps keep finishing, 503 once the run is stuck or failed. Default "/health/live".</summary>
    public string LivePath { get; set; } = "/health/live";
    /// <summary>Readiness path: 200 once the model and data are loaded and until the loop ends. Default "/health/ready".</summary>
    public string ReadyPath { get; set; } = "/health/ready";
    /// <summary>Seconds without a finished step (or evaluation batch) after which liveness turns unhealthy, counted from
    /// the start until the first step. Default 600.</summary>
    [Range(1.0, 1e7)] public double StuckAfterSeconds { get; set; } = 600;

    /// <summary>The URL <see cref="PrometheusEndpoint"/> stands for; null when it is off or not a valid endpoint
    /// (<see cref="TelemetryOptionsValidator"/> says why).</summary>
    public Uri? ListenUri()
    {
        var value = PrometheusEndpoint?.Trim();
        if (string.IsNullOrEmpty(value)) return null;
        if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int port))
            return port <= 65535 ? new Uri($"http://127.0.0.1:{port}/") : null;
        return Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttp && uri.AbsolutePath == "/"
               && uri.Query.Length == 0 && uri.UserInfo.Length == 0
            ? uri
            : null;
    }
}
