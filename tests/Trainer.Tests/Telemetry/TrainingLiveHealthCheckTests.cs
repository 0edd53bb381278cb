using System.Text.Json.Nodes;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using RlTrainer.Trainer.Telemetry;

namespace RlTrainer.Trainer.Tests.Telemetry;

public class TrainingLiveHealthCheckTests
{
    private readonly ManualClock _clock = new();
    private readonly TrainingHeartbeat _heartbeat;
    private readonly TrainingLiveHealthCheck _check;

    public TrainingLiveHealthCheckTests()
    {
        _heartbeat = new TrainingHeartbeat(_clock);
        _check = new TrainingLiveHealthCheck(_heartbeat, Options.Create(new TelemetryOptions { StuckAfterSeconds = 60 }));
    }

    private HealthCheckResult Check() => _check.CheckHealthAsync(new HealthCheckContext()).Result;

    private static JsonObject TrainLine(int step) => new() { ["step"] = step, ["type"] = "train", ["reward/mean"] = 0.5 };

    [Fact]
    public void NoStepForLongerThanStuckAfter_IsUnhealthy_AndAStepMakesItHealthyAgain()
    {
        _heartbeat.Enter(TrainingPhase.Training);
        _clock.Advance(59);
        Assert.Equal(HealthStatus.Healthy, Check().Status);
        _clock.Advance(2);
        var stuck = Check();
        Assert.Equal(HealthStatus.Unhealthy, stuck.Status);
        Assert.Equal("stuck: nothing finished for 61 s (Telemetry:StuckAfterSeconds = 60)", stuck.Description);

        _heartbeat.OnLine(TrainLine(1));
        _clock.Advance(10);
        var alive = Check();
        Assert.Equal(HealthStatus.Healthy, alive.Status);
        Assert.Equal(1, alive.Data["last_step"]);
        Assert.Equal("2025-01-01T12:01:01.0000000+00:00", alive.Data["last_step_time"]);
        Assert.Equal(10.0, alive.Data["seconds_since_last_step"]);
    }

    [Fact]
    public void EvaluationBatches_KeepALongEvaluationAlive()
    {
        _heartbeat.Enter(TrainingPhase.Evaluating);
        for (int i = 0; i < 5; i++)
        {
            _clock.Advance(50);
            _heartbeat.Beat();
        }
        Assert.Equal(HealthStatus.Healthy, Check().Status);
        Assert.Null(Check().Data["last_step"]);
    }

    [Fact]
    public void AFailedLoop_IsUnhealthy_AndStaysFailed()
    {
        _heartbeat.Enter(TrainingPhase.Failed, "disk full");
        _heartbeat.Enter(TrainingPhase.Stopped);
        var r = Check();
        Assert.Equal(HealthStatus.Unhealthy, r.Status);
        Assert.Equal("training failed: disk full", r.Description);
        Assert.Equal("failed", r.Data["phase"]);
    }

    [Fact]
    public void AStoppedLoop_WritingItsLastCheckpoint_IsNotStuck()
    {
        _heartbeat.Enter(TrainingPhase.Stopped);
        _clock.Advance(120);
        Assert.Equal(HealthStatus.Healthy, Check().Status);
    }
}
