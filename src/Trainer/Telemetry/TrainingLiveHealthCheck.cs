using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace RlTrainer.Trainer.Telemetry;

/// <summary>
/// Liveness: unhealthy when the loop failed, or when nothing finished (no step, no evaluation batch; counted from the
/// start before the first step) for <see cref="TelemetryOptions.StuckAfterSeconds"/>, so a supervisor can restart a
/// stuck run. Healthy otherwise, also while loading and while stopping.
/// </summary>
public sealed class TrainingLiveHealthCheck(TrainingHeartbeat heartbeat, IOptions<TelemetryOptions> options) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var s = heartbeat.Read();
        double limit = options.Value.StuckAfterSeconds;
        var data = s.Data(limit);
        var result = s.Phase == TrainingPhase.Failed
            ? HealthCheckResult.Unhealthy($"training failed: {s.Failure}", data: data)
            : s.Phase != TrainingPhase.Stopped && s.SecondsSinceProgress > limit
                ? HealthCheckResult.Unhealthy(
                    $"stuck: nothing finished for {s.SecondsSinceProgress:F0} s (Telemetry:StuckAfterSeconds = {limit})", data: data)
                : HealthCheckResult.Healthy($"{s.Phase.ToString().ToLowerInvariant()}, last step {s.LastStep?.ToString() ?? "none yet"}", data);
        return Task.FromResult(result);
    }
}
