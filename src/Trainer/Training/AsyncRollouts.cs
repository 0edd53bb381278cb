using RlTrainer.Rollout.Model;
using RlTrainer.Trainer.Contracts;
using RlTrainer.Trainer.Data;

namespace RlTrainer.Trainer.Training;

/// <summary>
/// Training:MaxStaleness = k &gt; 0: the batches come from a <see cref="RolloutQueue"/> whose producer samples with its
/// own copy of the policy; after each update the learner publishes its weights (<see cref="WeightSnapshot"/>). The
/// checkpoint cursor is the one after the last trained batch's prompts, so a resumed run samples the prompts of the
/// batches that were queued but not trained again. Adds the staleness/… and async/… keys to each step's batch.
/// </summary>
public sealed class AsyncRollouts : IRolloutSource
{
    private readonly int _maxStaleness;
    private readonly WeightSnapshot _snapshot;
    private readonly RolloutQueue _queue;
    private SamplerCursor _takenCursor;

    /// <param name="createProducer">Builds the producer on its thread, given the snapshot it reads the weights from.</param>
    /// <param name="startCursor">The learner's cursor at start (the checkpoint's).</param>
    public AsyncRollouts(CausalLm policy, int startStep, SamplerCursor startCursor, int maxStaleness,
        Func<WeightSnapshot, IBatchProducer> createProducer)
    {
        _maxStaleness = maxStaleness;
        _snapshot = new WeightSnapshot(policy, startStep);
        _queue = new RolloutQueue(() => createProducer(_snapshot), maxStaleness, startStep, startStep);
        TrainedCursor = _takenCursor = startCursor;
        _queue.Start();
    }

    public SamplerCursor TrainedCursor { get; private set; }

    /// <summary>Queued batches dropped when the run stopped.</summary>
    public int DroppedOnStop => _queue.DroppedOnStop;

    public RolloutBatch Next(int step, CancellationToken ct)
    {
        var taken = _queue.Take(step, ct);
        _takenCursor = taken.CursorAfter;
        var extra = new Dictionary<string, double>(taken.Batch.Extra);
        foreach (var (key, value) in Metrics(taken, _maxStaleness)) extra[key] = value;
        return taken.Batch with { Extra = extra };
    }

    public void Trained(CausalLm policy, int version)
    {
        _snapshot.Publish(policy, version);
        _queue.Publish(version);
        TrainedCursor = _takenCursor;
    }

    public void Stop() => _queue.Stop();

    public void Dispose()
    {
        _queue.Dispose();   // joins the producer before the snapshot it reads goes
        _snapshot.Dispose();
    }

    /// <summary>The step's staleness/… and async/… keys: staleness of the trained samples (mean, max, count per value
    /// 0…k), samples dropped, the learner's and the producer's waits, the queue depth after the take.</summary>
    public static IEnumerable<KeyValuePair<string, double>> Metrics(TakenBatch taken, int maxStaleness)
    {
        var s = taken.Staleness;
        yield return new("staleness/mean", s.Length == 0 ? 0 : s.Average());
        yield return new("staleness/max", s.Length == 0 ? 0 : s.Max());
        for (int v = 0; v <= maxStaleness; v++) yield return new($"staleness/count_{v}", s.Count(x => x == v));
        yield return new("staleness/dropped_samples", taken.DroppedSamples);
        yield return new("async/learner_wait_seconds", taken.LearnerWaitSeconds);
        yield return new("async/producer_wait_seconds", taken.ProducerWaitSeconds);
        yield return new("async/queue_depth", taken.QueueDepth);
    }
}
