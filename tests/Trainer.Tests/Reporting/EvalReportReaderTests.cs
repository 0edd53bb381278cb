using System.Text.Json;
using RlTrainer.Trainer.Evaluation;
using RlTrainer.Trainer.Reporting;
using RlTrainer.Trainer.Contracts;

namespace RlTrainer.Trainer.Tests.Reporting;

public class EvalReportReaderTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("eval-json-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string text)
    {
        var path = Path.Combine(_dir, $"{Guid.NewGuid():N}.json");
        File.WriteAllText(path, text);
        return path;
    }

    private static void AssertSame(EvalScores expected, EvalScores actual)
    {
        Assert.Equal(expected.Problems, actual.Problems);
        Assert.Equal(expected.GreedyPass1, actual.GreedyPass1);
        Assert.Equal(expected.AvgAtK, actual.AvgAtK);
        Assert.Equal(expected.MajAtK, actual.MajAtK);
        Assert.Equal(expected.PassAtK.OrderBy(p => p.Key), actual.PassAtK.OrderBy(p => p.Key));
        Assert.Equal((expected.FormatRate, expected.MeanCompletionTokens, expected.TruncationRate),
            (actual.FormatRate, actual.MeanCompletionTokens, actual.TruncationRate));
    }

    private static void AssertSame(EvalReport expected, EvalReport actual)
    {
        Assert.Equal((expected.Model, expected.Data, expected.K, expected.Temperature, expected.Seconds, expected.TokensPerSecond),
            (actual.Model, actual.Data, actual.K, actual.Temperature, actual.Seconds, actual.TokensPerSecond));
        AssertSame(expected.Overall, actual.Overall);
        Assert.Equal(expected.BySource.Keys.Order(), actual.BySource.Keys.Order());
        foreach (var (k, v) in expected.BySource) AssertSame(v, actual.BySource[k]);
    }

    public static TheoryData<string> Casings => new() { "default", "camel", "snake", "indented-null-ignored" };

    [Theory]
    [MemberData(nameof(Casings))]
    public void WhatSystemTextJsonWrites_ReadsBack(string casing)
    {
        var options = casing switch
        {
            "camel" => new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.CamelCase },
            "snake" => new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower },
            "indented-null-ignored" => new JsonSerializerOptions { WriteIndented = true, DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull },
            _ => new JsonSerializerOptions(),
        };
        var single = Write(JsonSerializer.Serialize(EvalFixtures.Base(), options));
        AssertSame(EvalFixtures.Base(), EvalReportReader.Load(single).Single());
        var both = Write(JsonSerializer.Serialize(new[] { EvalFixtures.Base(), EvalFixtures.GreedyOnly() }, options));
        var read = EvalReportReader.Load(both);
        Assert.Equal(2, read.Count);
        AssertSame(EvalFixtures.GreedyOnly(), read[1]);
    }

    [Fact]
    public void WhatEvalOutWrites_ReadsBack()
    {
        var read = EvalReportReader.Load(Write(OutputJson.Serialize(new[] { EvalFixtures.Base(), EvalFixtures.GreedyOnly() }, indented: true)));
        AssertSame(EvalFixtures.Base(), read[0]);
        AssertSame(EvalFixtures.GreedyOnly(), read[1]);
    }

    [Fact]
    public void AnEvalOutFileWrittenBeforeTheSnakeCaseSwitch_ReadsBack()
    {
        const string old = """
            [
              {
                "Model": "runs/a/checkpoints/step-000010",
                "Data": "data/arith/test.parquet",
                "K": 4,
                "Temperature": 1,
                "Overall": { "Problems": 2, "GreedyPass1": 0.5, "AvgAtK": 0.375, "MajAtK": 0.5, "PassAtK": { "1": 0.375, "2": 0.5, "4": 0.5 },
                             "FormatRate": 1, "MeanCompletionTokens": 12.5, "TruncationRate": 0 },
                "BySource": { "arith": { "Problems": 2, "GreedyPass1": 0.5, "AvgAtK": 0.375, "MajAtK": 0.5, "PassAtK": { "1": 0.375 },
                              "FormatRate": 1, "MeanCompletionTokens": 12.5, "TruncationRate": 0 } },
                "Seconds": 1.25,
                "TokensPerSecond": 40
              }
            ]
            """;
        var r = EvalReportReader.Load(Write(old)).Single();
        Assert.Equal(("runs/a/checkpoints/step-000010", 4, 0.5, 0.375), (r.Model, r.K, r.Overall.GreedyPass1, r.Overall.AvgAtK));
        Assert.Equal([1, 2, 4], r.Overall.PassAtK.Keys);
        Assert.Equal(0.375, r.BySource["arith"].PassAtK[1]);
    }

    [Fact]
    public void MissingField_NamesFileAndPath()
    {
        var path = Write("""{"model":"m","data":"d","k":1,"temperature":1,"seconds":1,"tokensPerSecond":1,"overall":{"problems":3}}""");
        var e = Assert.Throws<InvalidDataException>(() => EvalReportReader.Load(path));
        Assert.Equal($"{path}: $.overall.GreedyPass1 is missing or null", e.Message);
    }

    [Fact]
    public void WrongType_NamesValue()
    {
        var json = JsonSerializer.Serialize(EvalFixtures.Base()).Replace("\"GreedyPass1\":0.25", "\"GreedyPass1\":\"high\"");
        var e = Assert.Throws<InvalidDataException>(() => EvalReportReader.Load(Write(json)));
        Assert.EndsWith("$.Overall.GreedyPass1 expected a number, got \"high\"", e.Message);
    }

    [Fact]
    public void PassAtKKey_MustBeAPositiveInteger()
    {
        var json = JsonSerializer.Serialize(EvalFixtures.Base()).Replace("\"PassAtK\":{\"1\":0.2", "\"PassAtK\":{\"one\":0.2");
        var e = Assert.Throws<InvalidDataException>(() => EvalReportReader.Load(Write(json)));
        Assert.EndsWith("$.Overall.PassAtK key \"one\" is not a positive integer k", e.Message);
    }

    [Theory]
    [InlineData("not json", "not valid JSON")]
    [InlineData("[]", "empty array")]
    [InlineData("42", "expected an eval report object or an array of them, got number")]
    public void NotAReport_SaysWhy(string text, string expected)
    {
        var path = Write(text);
        var e = Assert.Throws<InvalidDataException>(() => EvalReportReader.Load(path));
        Assert.StartsWith(path, e.Message);
        Assert.Contains(expected, e.Message);
    }
}
