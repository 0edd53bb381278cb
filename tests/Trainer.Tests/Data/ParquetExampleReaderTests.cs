using RlTrainer.Rollout.Tokenization;
using RlTrainer.Trainer.Data;

namespace RlTrainer.Trainer.Tests.Data;

public sealed class ParquetExampleReaderTests
{
    [Theory]
    [InlineData("verl_zstd.parquet")]
    [InlineData("verl_snappy.parquet")]
    [InlineData("verl_gzip.parquet")]
    [InlineData("verl_uncompressed.parquet")]
    [InlineData("verl_lz4_raw.parquet")]
    [InlineData("verl_brotli.parquet")]
    [InlineData("verl_pagev2.parquet")]
    public void Verl_EveryCodec_ReadsTheScriptRowsExactly(string file)
    {
        var examples = ParquetFixtures.ReadAll(file);

        Assert.Equal(ParquetFixtures.VerlRows.Length, examples.Count);
        for (var i = 0; i < examples.Count; i++)
        {
            var (prompt, truth, source, ability, target, extraIndex, split) = ParquetFixtures.VerlRows[i];
            var e = examples[i];
            Assert.Equal(prompt, e.Prompt);
            Assert.Equal(truth, e.GroundTruth);
            Assert.Equal(source, e.DataSource);
            Assert.Equal(ability, e.Ability);
            Assert.Equal(target, e.Target);
            Assert.Equal(i, e.Index);
            Assert.Equal(ParquetFixtures.File(file), e.SourceFile);
            Assert.Equal(extraIndex, e.ExtraInfo.TryGetValue("index", out var index) ? (long?)index : null);
            Assert.Equal(split, e.ExtraInfo.TryGetValue("split", out var s) ? s : null);
        }
    }

    [Fact]
    public async Task Verl_AutoDetectedAndExplicitShape_Agree()
    {
        var auto = ParquetFixtures.ReadAll("verl_zstd.parquet");
        var verl = ParquetFixtures.ReadAll("verl_zstd.parquet", DataShape.Verl);

        Assert.Equal(auto.Select(e => e.GroundTruth), verl.Select(e => e.GroundTruth));
        Assert.Equal(DataShape.Verl, FileLayout.Detect("x", await Parquet.ParquetReader.ReadSchemaAsync(ParquetFixtures.File("verl_zstd.parquet"))));
    }

    [Fact]
    public void ReadRowGroupsAsync_StreamsOneRowGroupPerPull()
    {
        var reader = new ParquetExampleReader(new DataOptions { Files = [ParquetFixtures.File("verl_zstd.parquet")] });

        using var batches = reader.ReadRowGroupsAsync().ToBlockingEnumerable().GetEnumerator();
        Assert.Equal(0, reader.RowGroupsRead);
        Assert.True(batches.MoveNext());
        Assert.Equal(1, reader.RowGroupsRead);
        Assert.Equal((0, 0L, 3), (batches.Current.RowGroup, batches.Current.FirstRow, batches.Current.Examples.Count));
        Assert.True(batches.MoveNext());
        Assert.Equal(2, reader.RowGroupsRead);
        Assert.Equal((1, 3L, 3), (batches.Current.RowGroup, batches.Current.FirstRow, batches.Current.Examples.Count));
        Assert.True(batches.MoveNext());
        Assert.Equal((2, 6L, 1), (batches.Current.RowGroup, batches.Current.FirstRow, batches.Current.Examples.Count));
        Assert.False(batches.MoveNext());
        Assert.Equal(3, reader.RowGroupsRead);
    }

    [Fact]
    public void ReadExamples_TakingTheFirstRow_DecodesOnlyTheFirstRowGroup()
    {
        var reader = new ParquetExampleReader(new DataOptions { Files = [ParquetFixtures.File("verl_gzip.parquet")] });

        var first = reader.ReadExamples().First();

        Assert.Equal("5", first.GroundTruth);
        Assert.Equal(1, reader.RowGroupsRead);
    }

    [Fact]
    public void SplitFiles_ThroughAGlob_ReadAsTheSameRowsInFileOrder()
    {
        var examples = ParquetFixtures.ReadAll(new DataOptions { Files = [Path.Combine(ParquetFixtures.Folder, "split", "part-*.parquet")] });

        Assert.Equal(ParquetFixtures.VerlRows.Select(r => r.Truth), examples.Select(e => e.GroundTruth));
        Assert.Equal(ParquetFixtures.VerlRows.Select(r => r.Prompt[^1].Content), examples.Select(e => e.Prompt[^1].Content));
        // Index counts rows within each file: part-0 has rows 0-2, part-1 rows 0-1, part-2 rows 0-1.
        Assert.Equal([0L, 1, 2, 0, 1, 0, 1], examples.Select(e => e.Index));
        Assert.Equal("part-1.parquet", Path.GetFileName(examples[3].SourceFile));
    }

    [Fact]
    public void SeveralFiles_ReadInTheOrderGiven()
    {
        var examples = ParquetFixtures.ReadAll(new DataOptions
        {
            Files = [ParquetFixtures.File("gsm8k.parquet"), ParquetFixtures.File("split/part-2.parquet")],
        });

        Assert.Equal(["10", "1200", "30", "9", "0"], examples.Select(e => e.GroundTruth));
        Assert.Equal(["openai/gsm8k", "openai/gsm8k", "openai/gsm8k", "general_max", "arith"], examples.Select(e => e.DataSource));
    }

    [Fact]
    public void Gsm8k_QuestionBecomesUserMessage_AnswerAfterHashes_TargetBoxed()
    {
        var examples = ParquetFixtures.ReadAll("gsm8k.parquet");

        Assert.Equal(3, examples.Count);
        Assert.Equal([new ChatMessage("user", "Tom has 3 bags with 4 pears each. He eats 2 pears. How many pears are left?")], examples[0].Prompt);
        Assert.Equal("10", examples[0].GroundTruth);
        Assert.Equal("Tom has 3*4=12 pears.\nAfter eating 2 he has 12-2=10 pears.\n\\boxed{10}", examples[0].Target);
        Assert.Equal("1200", examples[1].GroundTruth);
        Assert.Equal("Total pens: 1,150+50=1,200\n\\boxed{1200}", examples[1].Target);
        Assert.Equal("30", examples[2].GroundTruth);
        Assert.Equal("openai/gsm8k", examples[2].DataSource);
        Assert.Null(examples[2].Ability);
    }

    [Fact]
    public void Math500_AnswerColumn_NullAnswerFallsBackToLastBoxed()
    {
        var examples = ParquetFixtures.ReadAll("math500.parquet");

        // Row 1's solution "First $\boxed{x}$ is wrong; ... = \boxed{x^{2}+2x+1}$": 22 characters with a ';' between the
        // boxes, so the completion rule (Math-Verify's) reads both, and the gold answer is read the same way.
        Assert.Equal(["\\frac{3}{4}", "x, x^{2}+2x+1", "7"], examples.Select(e => e.GroundTruth));
        Assert.Equal("Expand $(x+1)^2$.", examples[1].Prompt.Single().Content);
        Assert.Equal("$\\sqrt{49} = 7$, so the answer is $\\boxed{7}$.", examples[2].Target);
        Assert.All(examples, e => Assert.Equal("lighteval/MATH", e.DataSource));
    }

    [Fact]
    public void MathLighteval_NoAnswerColumn_GroundTruthIsLastBoxedWithNestedBraces()
    {
        var examples = ParquetFixtures.ReadAll("math_lighteval.parquet");

        Assert.Equal(["\\frac{3}{4}", "1024"], examples.Select(e => e.GroundTruth));
        Assert.Equal("Divide by 2: $\\boxed{\\frac{3}{4}}$.", examples[0].Target);
    }

    [Fact]
    public void Custom_ThroughColumnMapping_IntegerGroundTruthBecomesText()
    {
        var examples = ParquetFixtures.ReadAll(new DataOptions
        {
            Files = [ParquetFixtures.File("custom.parquet")],
            Shape = DataShape.Custom,
            Columns = new ColumnMapping { Prompt = "instruction", GroundTruth = "gold", DataSource = "origin", Target = "reference" },
        });

        Assert.Equal(["8", "6", "10"], examples.Select(e => e.GroundTruth));
        Assert.Equal(["legs", "wheels", "legs"], examples.Select(e => e.DataSource));
        Assert.Equal(["2 * 4 = 8. \\boxed{8}", null, "5 * 2 = 10. \\boxed{10}"], examples.Select(e => e.Target));
        Assert.Equal("Count the wheels of 3 bikes.", examples[1].Prompt.Single().Content);
    }

    [Fact]
    public void Custom_WithoutDataSourceColumn_UsesTheConfiguredOrTheFileStem()
    {
        var options = new DataOptions
        {
            Files = [ParquetFixtures.File("custom.parquet")],
            Shape = DataShape.Custom,
            Columns = new ColumnMapping { Prompt = "instruction", GroundTruth = "gold" },
        };

        Assert.All(ParquetFixtures.ReadAll(options), e => Assert.Equal("custom", e.DataSource));
        options.DataSource = "counting";
        Assert.All(ParquetFixtures.ReadAll(options), e => Assert.Equal("counting", e.DataSource));
    }

    [Fact]
    public void Verl_TargetMappedToAnotherColumn_OverridesTheDefault()
    {
        var examples = ParquetFixtures.ReadAll(new DataOptions
        {
            Files = [ParquetFixtures.File("verl_zstd.parquet")],
            Columns = new ColumnMapping { Target = "extra_info.split" },
        });

        Assert.Equal(["train", "train", "train", "test", "train", "train", null], examples.Select(e => e.Target));
    }

    [Fact]
    public async Task MathSolution_GoldAnswerIsReadByTheCompletionRule()
    {
        // Escaped braces do not open a group, and nearby boxes answer together, as AnswerExtractor reads completions.
        var path = Path.Combine(Path.GetTempPath(), $"math-boxes-{Guid.NewGuid():N}.parquet");
        var schema = new Parquet.Schema.ParquetSchema(new[] { "problem", "level", "type", "solution" }
            .Select(c => new Parquet.Schema.DataField(c, typeof(string))).ToArray());
        string[] solutions = [@"The set is $\boxed{\left\{ x \mid x > 0 \right.}$.", @"So $x = \boxed{2}$ and $y = \boxed{3}$."];
        try
        {
            await using (var stream = System.IO.File.Create(path))
            {
                await Parquet.Serialization.ParquetSerializer.SerializeUntypedAsync(solutions.Select(solution =>
                    new Dictionary<string, object?> { ["problem"] = "?", ["level"] = "Level 1", ["type"] = "Algebra", ["solution"] = solution }).ToList(),
                    schema, stream);
            }

            var examples = ParquetFixtures.ReadAll(new DataOptions { Files = [path] });

            Assert.Equal([@"\left\{ x \mid x > 0 \right.", "2, 3"], examples.Select(e => e.GroundTruth));
            Assert.Equal(examples.Select(e => e.GroundTruth), solutions.Select(c => RlTrainer.Rewards.Verifiers.AnswerExtractor.FromCompletion(c)!.Text));
        }
        finally
        {
            System.IO.File.Delete(path);
        }
    }

    [Fact]
    public async Task RequiredColumns_WithoutDefinitionLevels_Read()
    {
        // DuckDB writes every column OPTIONAL; pyarrow writes non-nullable fields REQUIRED, so check that path too.
        var path = Path.Combine(Path.GetTempPath(), $"required-{Guid.NewGuid():N}.parquet");
        var schema = new Parquet.Schema.ParquetSchema(
            new Parquet.Schema.DataField("question", typeof(string), isNullable: false),
            new Parquet.Schema.DataField("answer", typeof(string), isNullable: false));
        try
        {
            await using (var stream = System.IO.File.Create(path))
            {
                await Parquet.Serialization.ParquetSerializer.SerializeUntypedAsync(
                [
                    new Dictionary<string, object?> { ["question"] = "One?", ["answer"] = "#### 1" },
                    new Dictionary<string, object?> { ["question"] = "Two?", ["answer"] = "1+1=2\n#### 2" },
                ], schema, stream);
            }

            var examples = ParquetFixtures.ReadAll(new DataOptions { Files = [path] });

            Assert.Equal(["One?", "Two?"], examples.Select(e => e.Prompt.Single().Content));
            Assert.Equal(["1", "2"], examples.Select(e => e.GroundTruth));
        }
        finally
        {
            System.IO.File.Delete(path);
        }
    }

    [Fact]
    public void NullGroundTruth_Skip_LeavesRowsOutAndCountsThem()
    {
        var reader = new ParquetExampleReader(new DataOptions
        {
            Files = [ParquetFixtures.File("verl_null_ground_truth.parquet")],
            Nulls = NullHandling.Skip,
        });

        var examples = reader.ReadExamples().ToList();

        Assert.Equal(["0", "2", "4"], examples.Select(e => e.GroundTruth));
        Assert.Equal([0L, 1, 2], examples.Select(e => e.Index));
        Assert.Equal(2, reader.SkippedRows);
        Assert.Equal(2, reader.SkippedByColumn["reward_model.ground_truth"]);
    }
}
