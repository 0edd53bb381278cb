using RlTrainer.Trainer.Data;

namespace RlTrainer.Trainer.Tests.Data;

public sealed class RlDatasetTests
{
    [Fact]
    public void HeldOutByFraction_SameRowsFromOneFileOrFromSplitFiles()
    {
        var one = RlDataset.Load(new DataOptions { Files = [ParquetFixtures.File("verl_snappy.parquet")], HeldOutFraction = 0.5, HeldOutSeed = 2 });
        var split = RlDataset.Load(new DataOptions { Files = [Path.Combine(ParquetFixtures.Folder, "split", "*.parquet")], HeldOutFraction = 0.5, HeldOutSeed = 2 });

        Assert.Equal(7, one.Train.Count + one.HeldOut.Count);
        Assert.NotEmpty(one.HeldOut);
        Assert.NotEmpty(one.Train);
        Assert.Equal(one.HeldOut.Select(e => e.Prompt[^1].Content), split.HeldOut.Select(e => e.Prompt[^1].Content));
        Assert.Empty(one.Train.Select(e => e.Prompt[^1].Content).Intersect(one.HeldOut.Select(e => e.Prompt[^1].Content)));
    }

    [Fact]
    public void HeldOutByFile_ReadsTheSecondFile()
    {
        var data = RlDataset.Load(new DataOptions
        {
            Files = [ParquetFixtures.File("verl_zstd.parquet")],
            HeldOutFiles = [ParquetFixtures.File("gsm8k.parquet")],
        });

        Assert.Equal(7, data.Train.Count);
        Assert.Equal(["10", "1200", "30"], data.HeldOut.Select(e => e.GroundTruth));
    }

    [Fact]
    public void Sampler_UsesTheOptionsSeedAndShuffleSwitch()
    {
        var options = new DataOptions { Files = [ParquetFixtures.File("verl_zstd.parquet")], Seed = 21 };
        var data = RlDataset.Load(options);

        Assert.Equal(new EpochSampler(data.Train, 21).Order(0), data.CreateSampler().Order(0));
        options.Shuffle = false;
        Assert.Equal(Enumerable.Range(0, 7), RlDataset.Load(options).CreateSampler().Order(0));
    }

    [Fact]
    public void SkippedNulls_AreCounted()
    {
        var data = RlDataset.Load(new DataOptions { Files = [ParquetFixtures.File("verl_null_ground_truth.parquet")], Nulls = NullHandling.Skip });

        Assert.Equal(3, data.Train.Count);
        Assert.Equal(2, data.SkippedRows);
    }

    [Fact]
    public void InvalidOptions_AreRejectedBeforeReading()
    {
        var error = Assert.Throws<RlTrainer.Trainer.Errors.BadInputException>(() => RlDataset.Load(new DataOptions
        {
            Files = [ParquetFixtures.File("verl_zstd.parquet")],
            HeldOutFraction = 0.1,
            HeldOutFiles = [ParquetFixtures.File("gsm8k.parquet")],
        }));

        Assert.Contains("set HeldOutFraction (0.1) or HeldOutFiles, not both", error.Message);
    }
}
