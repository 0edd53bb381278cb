using RlTrainer.Trainer.Objectives;

namespace RlTrainer.Trainer.Tests.Objectives;

public class DynamicSamplingFillerTests
{
    private static readonly double[] Signal = { 1, 0 }, Flat = { 1, 1 };

    private static double[] Batch(params double[][] groups) => groups.SelectMany(g => g).ToArray();

    [Fact]
    public void Offer_FillsAcrossBatchesAndTruncatesSurplus()
    {   // need 3 groups of 2; batch 1 gives 2 with signal, batch 2 gives 2 more (one surplus)
        var f = new DynamicSamplingFiller(targetGroups: 3, maxGenerationBatches: 5);
        Assert.Equal(new[] { 0, 2 }, f.Offer(Batch(Signal, Flat, Signal), 2));
        Assert.True(f.ShouldSampleMore);
        Assert.Equal(new[] { 1 }, f.Offer(Batch(Flat, Signal, Signal), 2));
        Assert.True(f.IsFull);
        Assert.False(f.ShouldSampleMore);
        Assert.Equal((3, 2, 1, 2), (f.KeptGroups, f.DroppedGroups, f.SurplusGroups, f.GenerationBatches));
    }

    [Fact]
    public void Offer_BoundedTries_ReportsExhaustion()
    {
        var f = new DynamicSamplingFiller(targetGroups: 2, maxGenerationBatches: 2);
        Assert.Empty(f.Offer(Batch(Flat, Flat), 2));
        Assert.Equal(new[] { 1 }, f.Offer(Batch(Flat, Signal), 2));
        Assert.True(f.IsExhausted);
        Assert.False(f.IsFull);
        var ex = Assert.Throws<InvalidOperationException>(() => f.Offer(Batch(Signal, Signal), 2));
        Assert.Contains("kept 1/2 after 2 batches", ex.Message);
    }

    [Fact]
    public void Offer_ZeroMeansUnlimited()
    {
        var f = new DynamicSamplingFiller(targetGroups: 1, maxGenerationBatches: 0);
        for (int i = 0; i < 50; i++) f.Offer(Flat, 2);
        Assert.True(f.ShouldSampleMore);
        Assert.Equal(new[] { 0 }, f.Offer(Signal, 2));
        Assert.True(f.IsFull);
    }

    [Fact]
    public void Constructor_BadCounts_Throw()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new DynamicSamplingFiller(0, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new DynamicSamplingFiller(1, -1));
    }
}
