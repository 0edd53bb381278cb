using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace RlTrainer.Trainer.Telemetry;

/// <summary>Readiness: healthy while the loop runs (training or evaluating), unhealthy while it loads and once it ended.</summary>
public sealed class TrainingReadyHealthCheck(TrainingHeartbeat heartbeat, IOptions<TelemetryOptions> options) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var s = heartbeat.Read();
        var data = s.Data(options.Value.StuckAfterSeconds);
        var result = s.Phase switch
        {
            TrainingPhase.Training or TrainingPhase.Evaluating => HealthCheckResult.Healthy(s.Phase.ToString().ToLowerInvariant(), data),
            TrainingPhase.Starting => HealthCheckResult.Unhealthy("starting: loading the model, data and checkpoint", data: data),
            TrainingPhase.Failed => HealthCheckResult.Unhealthy($"training failed: {s.Failure}", data: data),
            _ => HealthCheckResult.Unhealthy("training has ended", data: data),
        };
        return Task.FromResult(result);
    }
}
