using RlTrainer.Trainer.Data;
using RlTrainer.Trainer.Training;

namespace RlTrainer.Trainer.Tests.Training;

public sealed class RolloutQueueTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    /// Batch i has three groups, group g tagged with versionOf(i, g); its cursor is (0, i + 1).
    private sealed class FakeProducer(Func<int, int, int> versionOf, int failAt = -1) : IBatchProducer
    {
        public int Calls;
        public int ProduceThread = -1, DisposeThread = -2;

        public QueuedBatch Produce(int index, CancellationToken ct)
        {
            ProduceThread = Environment.CurrentManagedThreadId;
            Interlocked.Increment(ref Calls);
            if (index == failAt) throw new InvalidDataException($"batch {index} failed");
            return new QueuedBatch(StalenessFilterTests.Batch(Enumerable.Range(0, 3).Select(g => versionOf(index, g)).ToArray()),
                new SamplerCursor(0, index + 1));
        }

        public void Dispose() => DisposeThread = Environment.CurrentManagedThreadId;
    }

    private static void WaitUntil(Func<bool> condition, string what)
    {
        var sw = System.Diagnostics.Stopwatch.StartNew();
        while (!condition())
        {
            if (sw.Elapsed > Timeout) throw new TimeoutException(what);
            Thread.Sleep(5);
        }
    }

    [Fact]
    public void OneStepAhead_TrainsBatchesInOrder_EachSampledByStepOrStepMinusOne_NoneDropped()
    {
        int published = 0;
        var producer = new FakeProducer((_, _) => Volatile.Read(ref published));   // tags what it would have copied
        using var queue = new RolloutQueue(() => producer, maxStaleness: 1, firstIndex: 0, publishedVersion: 0);
        queue.Start();
        for (int step = 0; step < 6; step++)
        {
            var taken = queue.Take(step, new CancellationTokenSource(Timeout).Token);
            Assert.Equal(new SamplerCursor(0, step + 1), taken.CursorAfter);
            Assert.Equal(0, taken.DroppedSamples);
            Assert.All(taken.Batch.Samples, s => Assert.InRange(s.WeightVersion, step - 1, step));
            Thread.Sleep(30);   // the update: a producer without the version bound would sample the step after next now
            Volatile.Write(ref published, step + 1);
            queue.Publish(step + 1);
        }
    }

    [Fact]
    public void AProducerForcedAhead_HasItsStaleGroupsDropped_AndCounted()
    {
        // Batch i: group g sampled by version i - 1 - g (batch 0: version 0), so at step i staleness is 1 + g.
        var producer = new FakeProducer((i, g) => i == 0 ? 0 : i - 1 - g);
        using var queue = new RolloutQueue(() => producer, maxStaleness: 1, firstIndex: 0, publishedVersion: 0, waitForVersions: false);
        queue.Start();
        var first = queue.Take(0, CancellationToken.None);
        Assert.Equal(0, first.DroppedSamples);
        Assert.Equal(6, first.Batch.Samples.Count);
        for (int step = 1; step < 4; step++)
        {
            var taken = queue.Take(step, CancellationToken.None);
            Assert.Equal(4, taken.DroppedSamples);                        // groups 1 and 2: staleness 2 and 3 > k
            Assert.Equal([1, 1], taken.Staleness);
            var metrics = AsyncRollouts.Metrics(taken, 1).ToDictionary();
            Assert.Equal(4, metrics["staleness/dropped_samples"]);
            Assert.Equal(2, metrics["staleness/count_1"]);
            Assert.Equal(0, metrics["staleness/count_0"]);
            Assert.Equal(1, metrics["staleness/max"]);
        }
    }

    [Fact]
    public void ABatchWithNothingFresh_IsSkipped_AndTheNextOneTrains()
    {
        var producer = new FakeProducer((i, _) => i == 1 ? -10 : i - 1);
        using var queue = new RolloutQueue(() => producer, maxStaleness: 1, firstIndex: 0, publishedVersion: 0, waitForVersions: false);
        queue.Start();
        queue.Take(0, CancellationToken.None);
        var taken = queue.Take(1, CancellationToken.None);
        Assert.Equal(6, taken.DroppedSamples);
        Assert.Equal(new SamplerCursor(0, 3), taken.CursorAfter);   // batch 2's prompts
        Assert.Equal([0, 0, 0, 0, 0, 0], taken.Staleness);
    }

    [Fact]
    public void Stop_EndsTheProducerOnItsThread_AndDropsTheQueuedBatches()
    {
        var producer = new FakeProducer((_, _) => 0);
        var queue = new RolloutQueue(() => producer, maxStaleness: 2, firstIndex: 0, publishedVersion: 0);
        queue.Start();
        queue.Take(0, CancellationToken.None);
        WaitUntil(() => queue.Depth == 2, "the queue did not fill");   // batches 1 and 2; batch 3 waits for version 1
        queue.Stop();
        int calls = producer.Calls;
        Thread.Sleep(100);
        Assert.Equal(calls, producer.Calls);
        Assert.Equal(2, queue.DroppedOnStop);
        Assert.Equal(0, queue.Depth);
        Assert.Equal(producer.ProduceThread, producer.DisposeThread);
        queue.Dispose();
    }

    [Fact]
    public void AProducerFailure_IsRethrownToTheLearner()
    {
        using var queue = new RolloutQueue(() => new FakeProducer((_, _) => 0, failAt: 1), maxStaleness: 1, firstIndex: 0, publishedVersion: 0);
        queue.Start();
        queue.Take(0, CancellationToken.None);
        queue.Publish(1);
        var e = Assert.Throws<InvalidDataException>(() => queue.Take(1, CancellationToken.None));
        Assert.Equal("batch 1 failed", e.Message);
    }
}
