using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using RlTrainer.Trainer.Training;

namespace RlTrainer.Trainer.Telemetry;

/// <summary>Registers the meter publisher, the heartbeat and its health checks, OpenTelemetry with the Prometheus
/// exporter, and the endpoint that serves them (idle unless Telemetry:PrometheusEndpoint is set).</summary>
public static class TelemetryServiceCollectionExtensions
{
    public static IServiceCollection AddTrainingTelemetry(this IServiceCollection services)
    {
        services.AddMetrics();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<TrainingMetrics>();
        services.AddSingleton<TrainingHeartbeat>();
        services.AddSingleton<IMetricsLineObserver>(sp => sp.GetRequiredService<TrainingMetrics>());
        services.AddSingleton<IMetricsLineObserver>(sp => sp.GetRequiredService<TrainingHeartbeat>());
        services.AddHealthChecks()
            .AddCheck<TrainingLiveHealthCheck>("live", tags: ["live"])
            .AddCheck<TrainingReadyHealthCheck>("ready", tags: ["ready"]);
        // Every scrape collects afresh: the numbers change once per step, and health answers are never cached either.
        services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("rltrainer"))
            .WithMetrics(m => m
                .AddMeter(TrainingMetrics.MeterName)
                .AddPrometheusExporter(o => o.ScrapeResponseCacheDurationMilliseconds = 0));
        services.AddSingleton<TelemetryEndpoint>();
        services.AddHostedService(sp => sp.GetRequiredService<TelemetryEndpoint>());
        return services;
    }
}
