using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;

namespace RlTrainer.Trainer.Telemetry;

/// <summary>
/// Serves, when <see cref="TelemetryOptions.PrometheusEndpoint"/> is set, the OpenTelemetry Prometheus exporter at
/// MetricsPath and the health checks at LivePath and ReadyPath, on a small Kestrel app of its own: the training host
/// stays a plain generic host, and nothing listens when the option is off. It starts before the training loop, so
/// readiness can be watched while the model loads, and stops after it.
/// </summary>
public sealed class TelemetryEndpoint(IOptions<TelemetryOptions> options, MeterProvider meters, HealthCheckService health,
    ILogger<TelemetryEndpoint> logger) : IHostedService, IAsyncDisposable
{
    private WebApplication? _app;

    /// <summary>The addresses listened on once started (port 0 resolved); empty when off.</summary>
    public IReadOnlyList<Uri> Addresses { get; private set; } = [];

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        if (o.ListenUri() is not { } uri) return;
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().UseUrls(uri.GetLeftPart(UriPartial.Authority));
        builder.Services.AddRoutingCore();
        builder.Services.AddSingleton(health);
        var app = builder.Build();
        app.MapPrometheusScrapingEndpoint(o.MetricsPath, meters, configureBranchedPipeline: null, optionsName: null);
        app.MapHealthChecks(o.LivePath, Checks("live"));
        app.MapHealthChecks(o.ReadyPath, Checks("ready"));
        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch (IOException e)
        {
            await app.DisposeAsync();
            throw new TelemetryEndpointException($"{TelemetryOptions.Section}:PrometheusEndpoint = '{o.PrometheusEndpoint}': cannot listen on {uri}: {e.Message}", e);
        }
        _app = app;
        Addresses = app.Urls.Select(u => new Uri(u)).ToArray();
        foreach (var a in Addresses)
            logger.LogInformation("Telemetry: Prometheus metrics at {Metrics}, health at {Live} and {Ready}",
                new Uri(a, o.MetricsPath), new Uri(a, o.LivePath), new Uri(a, o.ReadyPath));
    }

    private static HealthCheckOptions Checks(string tag) => new()
    {
        Predicate = check => check.Tags.Contains(tag),
        ResponseWriter = HealthResponseWriter.Write,
    };

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_app is not null) await _app.StopAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null) await _app.DisposeAsync();
        _app = null;
    }
}
