using System.Diagnostics;
using System.Runtime.ExceptionServices;
using System.Threading.Channels;

namespace RlTrainer.Trainer.Training;

/// <summary>
/// Asynchronous rollouts with bounded staleness k: one producer thread fills a bounded channel (capacity k) with the
/// batches of the next steps while the learner trains. Before producing batch i it waits until the learner has
/// published version i − k, so a batch trained at step i was sampled by a policy at most k versions old; the learner
/// drops (and counts) any group older than that anyway (<see cref="StalenessFilter"/>). A producer failure reaches the
/// learner at its next <see cref="Take"/>; <see cref="Stop"/> cancels the producer and drops the queued batches.
/// </summary>
public sealed class RolloutQueue : IDisposable
{
    private readonly Func<IBatchProducer> _createProducer;
    private readonly int _maxStaleness;
    private readonly int _firstIndex;
    private readonly bool _waitForVersions;
    private readonly Channel<QueuedBatch> _channel;
    private readonly CancellationTokenSource _stop = new();
    private readonly Thread _thread;
    private readonly object _gate = new();
    private int _published;
    private long _producerWaitTicks;
    private bool _stopped;

    /// <param name="createProducer">Called on the producer thread, which then owns (and disposes) what it returns.</param>
    /// <param name="firstIndex">The first batch's index (the resumed step).</param>
    /// <param name="publishedVersion">The learner's version at start.</param>
    /// <param name="waitForVersions">False lets the producer run ahead of the version bound (tests of the drop).</param>
    public RolloutQueue(Func<IBatchProducer> createProducer, int maxStaleness, int firstIndex, int publishedVersion,
        bool waitForVersions = true)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxStaleness, 1);
        _createProducer = createProducer;
        _maxStaleness = maxStaleness;
        _firstIndex = firstIndex;
        _published = publishedVersion;
        _waitForVersions = waitForVersions;
        _channel = Channel.CreateBounded<QueuedBatch>(new BoundedChannelOptions(maxStaleness)
        {
            SingleReader = true, SingleWriter = true, FullMode = BoundedChannelFullMode.Wait,
        });
        _thread = new Thread(Produce) { IsBackground = true, Name = "rollout-producer" };
    }

    /// <summary>Batches waiting for the learner.</summary>
    public int Depth => _channel.Reader.Count;

    /// <summary>Batches dropped from the queue by <see cref="Stop"/>.</summary>
    public int DroppedOnStop { get; private set; }

    public void Start() => _thread.Start();

    /// <summary>The learner has completed <paramref name="version"/> steps and published their weights.</summary>
    public void Publish(int version)
    {
        lock (_gate)
        {
            _published = version;
            Monitor.PulseAll(_gate);
        }
    }

    /// <summary>The next batch with at least one group within k versions of <paramref name="learnerVersion"/>;
    /// batches with none are skipped and their samples counted as dropped.</summary>
    public TakenBatch Take(int learnerVersion, CancellationToken ct)
    {
        var waited = TimeSpan.Zero;
        int dropped = 0;
        while (true)
        {
            var sw = Stopwatch.StartNew();
            var queued = Read(ct);
            waited += sw.Elapsed;
            var (kept, staleness, droppedHere) = StalenessFilter.Apply(queued.Batch, learnerVersion, _maxStaleness);
            dropped += droppedHere;
            if (kept.Samples.Count == 0) continue;
            double producerWait = TimeSpan.FromTicks(Interlocked.Exchange(ref _producerWaitTicks, 0)).TotalSeconds;
            return new TakenBatch(kept, queued.CursorAfter, staleness, dropped, waited.TotalSeconds, producerWait, Depth);
        }
    }

    /// <summary>Cancels the producer, waits for its thread and drops what it had queued; idempotent.</summary>
    public void Stop()
    {
        if (_stopped) return;
        _stopped = true;
        _stop.Cancel();
        lock (_gate) Monitor.PulseAll(_gate);
        if (_thread.IsAlive) _thread.Join();
        int dropped = 0;
        while (_channel.Reader.TryRead(out _)) dropped++;
        DroppedOnStop = dropped;
    }

    public void Dispose()
    {
        Stop();
        _stop.Dispose();
    }

    private QueuedBatch Read(CancellationToken ct)
    {
        try
        {
            return _channel.Reader.ReadAsync(ct).AsTask().GetAwaiter().GetResult();
        }
        catch (ChannelClosedException e) when (e.InnerException is not null)
        {
            ExceptionDispatchInfo.Capture(e.InnerException).Throw();
            throw;
        }
        catch (ChannelClosedException)
        {
            throw new InvalidOperationException("the rollout producer stopped before the run ended.");
        }
    }

    private void Produce()
    {
        var token = _stop.Token;
        IBatchProducer? producer = null;
        try
        {
            producer = _createProducer();
            for (int index = _firstIndex; ; index++)
            {
                if (_waitForVersions) WaitForVersion(index - _maxStaleness, token);
                var batch = producer.Produce(index, token);
                var sw = Stopwatch.StartNew();
                _channel.Writer.WriteAsync(batch, token).AsTask().GetAwaiter().GetResult();
                Interlocked.Add(ref _producerWaitTicks, sw.Elapsed.Ticks);
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            _channel.Writer.TryComplete();
        }
        catch (Exception e)
        {
            _channel.Writer.TryComplete(e); // the learner rethrows it at its next Take
        }
        finally
        {
            producer?.Dispose();
        }
    }

    private void WaitForVersion(int version, CancellationToken token)
    {
        lock (_gate)
        {
            while (_published < version)
            {
                token.ThrowIfCancellationRequested();
                Monitor.Wait(_gate);
            }
        }
        token.ThrowIfCancellationRequested();
    }
}
