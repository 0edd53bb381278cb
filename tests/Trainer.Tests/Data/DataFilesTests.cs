using RlTrainer.Trainer.Data;

namespace RlTrainer.Trainer.Tests.Data;

public sealed class DataFilesTests
{
    [Fact]
    public void RecursiveGlob_MatchesInOrdinalOrder()
    {
        var files = DataFiles.Resolve([Path.Combine(ParquetFixtures.Folder, "**", "part-*.parquet")]);

        Assert.Equal(["part-0.parquet", "part-1.parquet", "part-2.parquet"], files.Select(Path.GetFileName));
        Assert.All(files, f => Assert.True(File.Exists(f)));
    }

    [Fact]
    public void PatternsKeepTheirOrder_AndAFileNamedTwiceIsReadOnce()
    {
        var files = DataFiles.Resolve(
        [
            ParquetFixtures.File("split/part-2.parquet"),
            Path.Combine(ParquetFixtures.Folder, "split", "*.parquet"),
        ]);

        Assert.Equal(["part-2.parquet", "part-0.parquet", "part-1.parquet"], files.Select(Path.GetFileName));
    }

    [Fact]
    public void GlobInAMissingFolder_NamesTheFolder()
    {
        var pattern = Path.Combine(ParquetFixtures.Folder, "no-such-folder", "*.parquet");

        var error = Assert.Throws<DataFormatException>(() => DataFiles.Resolve([pattern]));

        Assert.Contains("no-such-folder' does not exist", error.Message);
    }
}
