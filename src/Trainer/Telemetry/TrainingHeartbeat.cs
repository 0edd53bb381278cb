using System.Text.Json.Nodes;
using RlTrainer.Trainer.Training;

namespace RlTrainer.Trainer.Telemetry;

/// <summary>
/// Where the training loop stands, for the health checks: its phase, the last finished step and when it finished, and
/// the last sign of progress (a step, an evaluation batch, or the start). Steps are seen through the metrics.jsonl
/// lines; the loop reports phases and evaluation batches itself. Written by the training thread, read by HTTP threads.
/// </summary>
public sealed class TrainingHeartbeat(TimeProvider clock) : IMetricsLineObserver
{
    private readonly object _lock = new();
    private readonly DateTimeOffset _startedAt = clock.GetUtcNow();
    private TrainingPhase _phase = TrainingPhase.Starting;
    private int? _lastStep;
    private DateTimeOffset? _lastStepAt;
    private DateTimeOffset _lastProgressAt = clock.GetUtcNow();
    private string? _failure;

    /// <summary>A consistent copy of the state at <paramref name="Now"/>.</summary>
    public sealed record Snapshot(DateTimeOffset Now, TrainingPhase Phase, int? LastStep, DateTimeOffset? LastStepAt,
        DateTimeOffset StartedAt, DateTimeOffset LastProgressAt, string? Failure)
    {
        public double SecondsSinceProgress => (Now - LastProgressAt).TotalSeconds;

        /// <summary>What a health answer carries besides its status (snake_case keys; null before the first step).</summary>
        public IReadOnlyDictionary<string, object> Data(double stuckAfterSeconds) => new Dictionary<string, object>
        {
            ["phase"] = Phase.ToString().ToLowerInvariant(),
            ["last_step"] = LastStep!,
            ["last_step_time"] = LastStepAt?.ToString("O")!,
            ["seconds_since_last_step"] = (LastStepAt is { } t ? (Now - t).TotalSeconds : (double?)null)!,
            ["seconds_since_progress"] = SecondsSinceProgress,
            ["stuck_after_seconds"] = stuckAfterSeconds,
            ["started_at"] = StartedAt.ToString("O"),
        };
    }

    public void Enter(TrainingPhase phase, string? failure = null)
    {
        lock (_lock)
        {
            if (_phase == TrainingPhase.Failed) return; // a failure is final
            _phase = phase;
            _failure = failure;
            if (phase is TrainingPhase.Training or TrainingPhase.Evaluating) _lastProgressAt = clock.GetUtcNow();
        }
    }

    /// <summary>An evaluation batch finished: the loop is alive although no step finishes meanwhile.</summary>
    public void Beat()
    {
        lock (_lock) _lastProgressAt = clock.GetUtcNow();
    }

    public void OnLine(JsonObject line)
    {
        var now = clock.GetUtcNow();
        bool train = line["type"]?.GetValue<string>() == "train";
        lock (_lock)
        {
            _lastProgressAt = now;
            if (!train) return;
            _lastStep = line["step"]?.GetValue<int>();
            _lastStepAt = now;
        }
    }

    public Snapshot Read()
    {
        lock (_lock) return new Snapshot(clock.GetUtcNow(), _phase, _lastStep, _lastStepAt, _startedAt, _lastProgressAt, _failure);
    }
}
