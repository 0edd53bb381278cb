using RlTrainer.Trainer.Data;
using RlTrainer.Trainer.Data.Generation;
using RlTrainer.Trainer.Tests.Data;

namespace RlTrainer.Trainer.Tests.Cli;

public sealed class DataCommandTests
{
    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    [Fact]
    public void Preview_Verl_PrintsJsonLines_SeveralMessagesJoinedByABlankLine()
    {
        var (exit, output, _) = InProcessCli.Run("data", "preview", "--data", ParquetFixtures.File("verl_gzip.parquet"), "--limit", "2");

        Assert.Equal(0, exit);
        Assert.Equal(
        [
            """{"prompt":"What is 2 + 3?","ground_truth":"5","data_source":"openai/gsm8k"}""",
            """{"prompt":"You are a careful solver.\n\nWhat is 7 * 6?","ground_truth":"42","data_source":"openai/gsm8k"}""",
        ], Lines(output));
    }

    [Fact]
    public void Preview_WithoutLimit_PrintsEveryRow_UnicodeAndEscapesIntact()
    {
        var (exit, output, _) = InProcessCli.Run("data", "preview", "--data", ParquetFixtures.File("verl_snappy.parquet"));

        Assert.Equal(0, exit);
        var lines = Lines(output);
        Assert.Equal(7, lines.Length);
        Assert.Equal("""{"prompt":"Unicode ÿ 数 é: what is the largest of 3, 9, 4?","ground_truth":"9","data_source":"general_max"}""", lines[5]);
        Assert.Equal("""{"prompt":"A\nmultiline prompt with \"quotes\" and a\ttab?","ground_truth":"0","data_source":"arith"}""", lines[6]);
    }

    [Fact]
    public void Preview_Gsm8k_GroundTruthAfterHashes()
    {
        var (exit, output, _) = InProcessCli.Run("data", "preview", "--data", ParquetFixtures.File("gsm8k.parquet"), "--limit", "2");

        Assert.Equal(0, exit);
        Assert.Equal(
        [
            """{"prompt":"Tom has 3 bags with 4 pears each. He eats 2 pears. How many pears are left?","ground_truth":"10","data_source":"openai/gsm8k"}""",
            """{"prompt":"A shop sells 1,150 pens on Monday and 50 on Tuesday. How many pens in total?","ground_truth":"1200","data_source":"openai/gsm8k"}""",
        ], Lines(output));
    }

    [Fact]
    public void Preview_CustomMappingFromConfigFile()
    {
        var config = Path.Combine(Path.GetTempPath(), $"run-{Guid.NewGuid():N}.json");
        File.WriteAllText(config, """{ "Data": { "Shape": "Custom", "Columns": { "Prompt": "instruction", "GroundTruth": "gold", "DataSource": "origin" } } }""");
        try
        {
            var (exit, output, error) = InProcessCli.Run("data", "preview", "--data", ParquetFixtures.File("custom.parquet"), "--config", config, "--limit", "1");

            Assert.True(exit == 0, error);
            Assert.Equal(["""{"prompt":"Count the legs of 2 cats.","ground_truth":"8","data_source":"legs"}"""], Lines(output));
        }
        finally
        {
            File.Delete(config);
        }
    }

    [Fact]
    public void Preview_CustomMappingFromColumnOptions()
    {
        var (exit, output, _) = InProcessCli.Run("data", "preview", "--data", ParquetFixtures.File("custom.parquet"), "--shape", "custom",
            "--column", "prompt=instruction", "--column", "ground_truth=gold");

        Assert.Equal(0, exit);
        Assert.Equal("""{"prompt":"Count the eyes of 5 owls.","ground_truth":"10","data_source":"custom"}""", Lines(output)[2]);
    }

    [Fact]
    public void Preview_NullsSkipped_AreReportedOnStandardError()
    {
        var (exit, output, error) = InProcessCli.Run("data", "preview", "--data", ParquetFixtures.File("verl_null_ground_truth.parquet"), "--nulls", "skip");

        Assert.Equal(0, exit);
        Assert.Equal(3, Lines(output).Length);
        Assert.Equal("skipped 2 rows with nulls", error.Trim());
    }

    [Fact]
    public void Preview_BadFile_ExitsNonZeroNamingTheLocation()
    {
        var (exit, _, error) = InProcessCli.Run("data", "preview", "--data", ParquetFixtures.File("verl_null_ground_truth.parquet"));

        Assert.Equal(2, exit);
        Assert.Contains("row group 1, column 'reward_model.ground_truth', row 3: the ground truth is null", error);
    }

    [Fact]
    public void Preview_UnknownColumnField_ExitsNonZero()
    {
        var (exit, _, error) = InProcessCli.Run("data", "preview", "--data", ParquetFixtures.File("custom.parquet"), "--column", "answer=gold");

        Assert.Equal(2, exit);
        Assert.Contains("unknown field 'answer'", error);
    }

    [Fact]
    public void MakeArith_WritesSeededTrainAndTestFiles()
    {
        var folder = Path.Combine(Path.GetTempPath(), $"arith-{Guid.NewGuid():N}");
        try
        {
            var (exit, output, error) = InProcessCli.Run("data", "make-arith", "--out", folder, "--seed", "3", "--train", "40", "--test", "10");

            Assert.True(exit == 0, error);
            Assert.Contains("train.parquet: 40 rows", output);
            var expected = ArithmeticProblemGenerator.Generate(40, 10, 3);
            var train = ParquetFixtures.ReadAll(new DataOptions { Files = [Path.Combine(folder, "train.parquet")] });
            var test = ParquetFixtures.ReadAll(new DataOptions { Files = [Path.Combine(folder, "test.parquet")] });
            Assert.Equal(expected.Train.Select(e => e.Prompt[0].Content), train.Select(e => e.Prompt[0].Content));
            Assert.Equal(expected.Test.Select(e => e.GroundTruth), test.Select(e => e.GroundTruth));
        }
        finally
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void MakeArith_ToolShares_WriteBigOperandRowsAndTranscripts_AndAToolCallShareAloneIsRefused()
    {
        var folder = Path.Combine(Path.GetTempPath(), $"arith-tools-{Guid.NewGuid():N}");
        try
        {
            var (exit, _, error) = InProcessCli.Run("data", "make-arith", "--out", folder, "--seed", "3", "--train", "200", "--test", "10",
                "--tool-share", "0.5", "--tool-call-share", "0.4");

            Assert.True(exit == 0, error);
            var expected = ArithmeticProblemGenerator.Generate(200, 10, 3, toolShare: 0.5, toolCallShare: 0.4);
            var train = ParquetFixtures.ReadAll(new DataOptions { Files = [Path.Combine(folder, "train.parquet")] });
            Assert.Equal(expected.Train.Select(e => e.Target), train.Select(e => e.Target));
            var called = train.First(e => e.ExtraInfo["style"] is "tool_call");
            Assert.StartsWith("<tool_call>", called.Target);
            // After the response the value is read back first (not worked out again), then the step, then the box.
            var afterResponse = $"<tool_response>\n{called.GroundTruth}\n</tool_response><|im_end|>\n<|im_start|>assistant\n{called.GroundTruth} = ";
            Assert.Contains(afterResponse, called.Target);
            Assert.EndsWith($". \\boxed{{{called.GroundTruth}}}", called.Target);
            Assert.Contains(train, e => e.DataSource == "arith_big" && e.ExtraInfo["style"] is "steps");

            var (refused, _, message) = InProcessCli.Run("data", "make-arith", "--out", folder, "--seed", "3", "--tool-call-share", "0.4");
            Assert.Equal(2, refused);
            Assert.Contains("tool-call share", message);
        }
        finally
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void MakeGeneral_WritesBothSplits()
    {
        var folder = Path.Combine(Path.GetTempPath(), $"general-{Guid.NewGuid():N}");
        try
        {
            var (exit, _, error) = InProcessCli.Run("data", "make-general", "--out", folder, "--seed", "4", "--train", "30", "--test", "5");

            Assert.True(exit == 0, error);
            var test = ParquetFixtures.ReadAll(new DataOptions { Files = [Path.Combine(folder, "test.parquet")] });
            Assert.Equal(5, test.Count);
            Assert.All(test, e => Assert.StartsWith("general_", e.DataSource));
        }
        finally
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
    }
}
