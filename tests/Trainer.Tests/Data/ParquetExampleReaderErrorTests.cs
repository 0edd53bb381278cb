using RlTrainer.Trainer.Data;

namespace RlTrainer.Trainer.Tests.Data;

/// <summary>Every way a file can be bad, and that the error names the file, row group, column and row that apply.</summary>
public sealed class ParquetExampleReaderErrorTests
{
    private static DataFormatException Fails(DataOptions options) =>
        Assert.Throws<DataFormatException>(() => ParquetFixtures.ReadAll(options));

    private static DataFormatException Fails(string file, DataShape shape = DataShape.Auto) =>
        Fails(new DataOptions { Files = [ParquetFixtures.File(file)], Shape = shape });

    [Fact]
    public void NullGroundTruth_NamesFileRowGroupColumnAndRow()
    {
        var error = Fails("verl_null_ground_truth.parquet");

        Assert.Equal(ParquetFixtures.File("verl_null_ground_truth.parquet"), error.File);
        Assert.Equal((1, "reward_model.ground_truth", 3L), (error.RowGroup, error.Column, error.Row));
        Assert.Equal($"file '{error.File}', row group 1, column 'reward_model.ground_truth', row 3: the ground truth is null", error.Message);
    }

    [Fact]
    public void EmptyPromptList_NamesRowAndColumn()
    {
        var error = Fails("verl_empty_prompt.parquet");

        Assert.Equal((0, "prompt", 1L), (error.RowGroup, error.Column, error.Row));
        Assert.EndsWith("the prompt list is empty", error.Message);
    }

    [Fact]
    public void TruncatedFile_NamesTheFile()
    {
        var error = Fails("corrupt_truncated.parquet");

        Assert.EndsWith("corrupt_truncated.parquet", error.File);
        Assert.Null(error.RowGroup);
        Assert.StartsWith($"file '{error.File}': not a readable Parquet file", error.Message);
    }

    [Fact]
    public void DamagedColumnChunk_NamesRowGroupColumnAndRowRange()
    {
        var error = Fails("corrupt_page.parquet");

        Assert.Equal((1, "reward_model.ground_truth"), (error.RowGroup, error.Column));
        Assert.Contains("row group 1, column 'reward_model.ground_truth': cannot decode rows 3-5", error.Message);
    }

    [Fact]
    public void DamagedColumnChunk_RowGroupsBeforeItStillStream()
    {
        var reader = new ParquetExampleReader(new DataOptions { Files = [ParquetFixtures.File("corrupt_page.parquet")] });

        var firstThree = reader.ReadExamples().Take(3).Select(e => e.GroundTruth).ToList();

        Assert.Equal(["5", "42", "\\frac{2}{3}"], firstThree);
    }

    [Fact]
    public void EmptyFile_NoRows_NamesTheFile()
    {
        var error = Fails("empty.parquet");

        Assert.Equal($"file '{ParquetFixtures.File("empty.parquet")}': the file has no rows", error.Message);
    }

    [Fact]
    public void ZeroByteFile_NamesTheFile()
    {
        var path = Path.Combine(Path.GetTempPath(), $"zero-{Guid.NewGuid():N}.parquet");
        File.WriteAllBytes(path, []);
        try
        {
            var error = Fails(new DataOptions { Files = [path] });
            Assert.Equal(path, error.File);
            Assert.Contains("not a readable Parquet file", error.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void WrongPromptType_NamesColumnAndBothTypes()
    {
        var error = Fails("wrong_type_prompt.parquet");

        Assert.Equal("prompt", error.Column);
        Assert.EndsWith("column 'prompt': wrong column type list<string>; expected string or list<struct{role, content}>", error.Message);
    }

    [Fact]
    public void WrongGroundTruthType_NamesColumnAndType()
    {
        var error = Fails("wrong_type_ground_truth.parquet");

        Assert.Equal("reward_model.ground_truth", error.Column);
        Assert.EndsWith("wrong column type boolean; expected string or number", error.Message);
    }

    [Fact]
    public void MissingColumn_ForcedShape_NamesTheColumn()
    {
        var error = Fails("gsm8k.parquet", DataShape.Verl);

        Assert.Equal("prompt", error.Column);
        Assert.EndsWith("column 'prompt': missing column (the file has [question, answer])", error.Message);
    }

    [Fact]
    public void MissingMappedColumn_Custom_NamesTheColumn()
    {
        var error = Fails(new DataOptions
        {
            Files = [ParquetFixtures.File("custom.parquet")],
            Shape = DataShape.Custom,
            Columns = new ColumnMapping { Prompt = "instruction", GroundTruth = "gold", DataSource = "nope" },
        });

        Assert.Equal("nope", error.Column);
    }

    [Fact]
    public void UnknownShape_AutoDetect_ListsTheColumns()
    {
        var error = Fails("custom.parquet");

        Assert.Contains("cannot tell the data shape from the columns [instruction, gold, origin, reference]", error.Message);
    }

    [Fact]
    public void Gsm8kWithoutFinalLine_NamesRowAndColumn()
    {
        var error = Fails("gsm8k_no_final_answer.parquet");

        Assert.Equal((0, "answer", 0L), (error.RowGroup, error.Column, error.Row));
        Assert.EndsWith("the answer has no final '#### N' line", error.Message);
    }

    [Fact]
    public void MathWithoutBoxed_NamesRowAndColumn()
    {
        var error = Fails("math_no_boxed.parquet");

        Assert.Equal((0, "solution", 0L), (error.RowGroup, error.Column, error.Row));
        Assert.EndsWith("the solution has no \\boxed{} answer", error.Message);
    }

    [Fact]
    public void MissingFileAndEmptyGlob_NameThePath()
    {
        var missing = Path.Combine(ParquetFixtures.Folder, "nope.parquet");
        Assert.Equal($"file '{missing}': no such file", Fails(new DataOptions { Files = [missing] }).Message);

        var glob = Path.Combine(ParquetFixtures.Folder, "nothing-*.parquet");
        Assert.Equal($"file '{glob}': the pattern matches no file", Fails(new DataOptions { Files = [glob] }).Message);
    }
}
