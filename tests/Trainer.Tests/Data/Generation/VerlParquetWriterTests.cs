using RlTrainer.Trainer.Data;
using RlTrainer.Trainer.Data.Generation;

namespace RlTrainer.Trainer.Tests.Data.Generation;

public sealed class VerlParquetWriterTests
{
    [Fact]
    public async Task Written_File_ReadsBackAsVerl_InSeveralRowGroups()
    {
        var examples = ArithmeticProblemGenerator.Generate(20, 1, seed: 5).Train;
        var path = Path.Combine(Path.GetTempPath(), $"verl-{Guid.NewGuid():N}.parquet");
        try
        {
            await VerlParquetWriter.WriteAsync(path, examples, rowGroupSize: 7);
            var reader = new ParquetExampleReader(new DataOptions { Files = [path] });
            var batches = reader.ReadRowGroupsAsync().ToBlockingEnumerable().ToList();
            var back = batches.SelectMany(b => b.Examples).ToList();

            Assert.Equal([7, 7, 6], batches.Select(b => b.RowCount));
            Assert.Equal(examples.Select(e => e.Prompt.Single()), back.Select(e => e.Prompt.Single()));
            Assert.Equal(examples.Select(e => e.GroundTruth), back.Select(e => e.GroundTruth));
            Assert.Equal(examples.Select(e => e.Target), back.Select(e => e.Target));
            Assert.All(back, e => Assert.Equal(("arith", "math"), (e.DataSource, e.Ability)));
            Assert.Equal(examples.Select(e => string.Join(";", e.ExtraInfo)), back.Select(e => string.Join(";", e.ExtraInfo)));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
