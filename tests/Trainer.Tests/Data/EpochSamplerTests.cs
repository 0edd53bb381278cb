using System.Text.Json;
using RlTrainer.Trainer.Data;

namespace RlTrainer.Trainer.Tests.Data;

public sealed class EpochSamplerTests
{
    private static readonly List<RlExample> Verl = ParquetFixtures.ReadAll("verl_zstd.parquet");

    private static string Key(RlExample e) => e.Prompt[^1].Content + "|" + e.GroundTruth;

    private static List<string> Draw(EpochSampler sampler, int count) => sampler.Next(count).Select(Key).ToList();

    [Fact]
    public void SameSeedAndEpoch_GiveTheSameOrder_AndEachEpochIsAPermutation()
    {
        var a = new EpochSampler(Verl, seed: 11);
        var b = new EpochSampler(Verl, seed: 11);

        for (var epoch = 0; epoch < 3; epoch++)
        {
            Assert.Equal(a.Order(epoch), b.Order(epoch));
            Assert.Equal(Enumerable.Range(0, Verl.Count), a.Order(epoch).Order());
        }
    }

    [Fact]
    public void OtherEpochOrSeed_GivesAnotherOrder()
    {
        var sampler = new EpochSampler(Verl, seed: 11);

        Assert.NotEqual(sampler.Order(0), sampler.Order(1));
        Assert.NotEqual(sampler.Order(0), new EpochSampler(Verl, seed: 12).Order(0));
    }

    [Fact]
    public void Order_DoesNotDependOnHowRowsAreSplitOverFiles()
    {
        var split = ParquetFixtures.ReadAll(new DataOptions { Files = [Path.Combine(ParquetFixtures.Folder, "split", "*.parquet")] });
        var reversed = Enumerable.Reverse(Verl).ToList();

        var fromOneFile = Draw(new EpochSampler(Verl, seed: 5), 21);
        Assert.Equal(fromOneFile, Draw(new EpochSampler(split, seed: 5), 21));
        Assert.Equal(fromOneFile, Draw(new EpochSampler(reversed, seed: 5), 21));
    }

    [Fact]
    public void Next_CrossesIntoTheNextEpoch_AndTheCursorCounts()
    {
        var sampler = new EpochSampler(Verl, seed: 3);

        var firstEpoch = Draw(sampler, Verl.Count);
        Assert.Equal(new SamplerCursor(1, 0), sampler.Cursor);
        Assert.Equal(Verl.Select(Key).Order(), firstEpoch.Order());
        sampler.Next(2);
        Assert.Equal(new SamplerCursor(1, 2), sampler.Cursor);
        Assert.Equal(Verl[sampler.Order(1)[2]], sampler.Next());
    }

    [Fact]
    public void Restore_FromASavedCursor_ContinuesExactlyAsAnUninterruptedRun()
    {
        var uninterrupted = new EpochSampler(Verl, seed: 9);
        Draw(uninterrupted, 10);
        var saved = JsonSerializer.Serialize(uninterrupted.Cursor);
        var expected = Draw(uninterrupted, 12);

        var resumed = new EpochSampler(Verl, seed: 9);
        resumed.Restore(JsonSerializer.Deserialize<SamplerCursor>(saved));

        Assert.Equal(new SamplerCursor(1, 3), resumed.Cursor);
        Assert.Equal(expected, Draw(resumed, 12));
    }

    [Fact]
    public void Restore_ACursorThatDoesNotFit_Throws()
    {
        var sampler = new EpochSampler(Verl, seed: 9);

        Assert.Throws<ArgumentOutOfRangeException>(() => sampler.Restore(new SamplerCursor(0, Verl.Count + 1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => sampler.Restore(new SamplerCursor(-1, 0)));
    }

    [Fact]
    public void NoShuffle_KeepsFileOrderEveryEpoch()
    {
        var sampler = new EpochSampler(Verl, seed: 9, shuffle: false);

        Assert.Equal(Verl.Select(Key).Concat(Verl.Select(Key)), Draw(sampler, 2 * Verl.Count));
    }

    [Fact]
    public void EmptyDataSet_Throws() =>
        Assert.Throws<ArgumentException>(() => new EpochSampler([], seed: 0));
}
