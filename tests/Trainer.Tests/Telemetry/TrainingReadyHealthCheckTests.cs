using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using RlTrainer.Trainer.Telemetry;

namespace RlTrainer.Trainer.Tests.Telemetry;

public class TrainingReadyHealthCheckTests
{
    [Fact]
    public void Ready_OnlyWhileTheLoopRuns()
    {
        var heartbeat = new TrainingHeartbeat(new ManualClock());
        var check = new TrainingReadyHealthCheck(heartbeat, Options.Create(new TelemetryOptions()));
        HealthStatus Status() => check.CheckHealthAsync(new HealthCheckContext()).Result.Status;

        Assert.Equal(HealthStatus.Unhealthy, Status()); // starting
        heartbeat.Enter(TrainingPhase.Training);
        Assert.Equal(HealthStatus.Healthy, Status());
        heartbeat.Enter(TrainingPhase.Evaluating);
        Assert.Equal(HealthStatus.Healthy, Status());
        heartbeat.Enter(TrainingPhase.Stopped);
        Assert.Equal(HealthStatus.Unhealthy, Status());
    }
}
