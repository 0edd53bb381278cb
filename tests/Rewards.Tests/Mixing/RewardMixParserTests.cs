using RlTrainer.Rewards.Functions;
using RlTrainer.Rewards.Mixing;

namespace RlTrainer.Rewards.Tests.Mixing;

public class RewardMixParserTests
{
    [Fact]
    public void Parse_CommentsTrailingCommasAndDefaults()
    {
        var mix = RewardMixParser.Parse("""
            // a comment
            { "components": [ { "name": "acc", "type": "math_accuracy", /* inline */ }, ], }
            """);
        Assert.Equal(RewardAggregation.SumThenNormalize, mix.Aggregation);
        Assert.Equal(1e-4, mix.Epsilon);
        Assert.Equal(1.0, mix.Components[0].Weight);
    }

    [Fact]
    public void Load_ExampleConfig()
    {
        var path = Path.Combine(RepositoryRoot(), "configs", "rewards.example.jsonc");
        var mix = RewardMixParser.Load(path);
        Assert.Equal(new[] { "accuracy", "format", "gsm8k_format", "overlong" }, mix.ComponentNames);
        Assert.Equal(new[] { 1.0, 0.1, 0.1, 1.0 }, mix.Components.Select(c => c.Weight));
        var overlong = mix.Components[3].Function.Score(new RewardInput("", null) { CompletionTokens = 20480, MaxCompletionTokens = 20480 });
        Assert.Equal(-1.0, overlong);
    }

    public static TheoryData<string> ShippedMixes() =>
        new(Directory.GetFiles(Path.Combine(RepositoryRoot(), "configs"), "rewards.*").Select(f => Path.GetFileName(f)).Order());

    /// Every reward mix in configs/ still reads, so a renamed or removed key cannot leave a shipped file behind.
    [Theory]
    [MemberData(nameof(ShippedMixes))]
    public void Load_ShippedMix(string name)
    {
        var mix = RewardMixParser.Load(Path.Combine(RepositoryRoot(), "configs", name));
        Assert.NotEmpty(mix.Components);
    }

    [Theory]
    [InlineData("""{ "components": [ { "name": "a", "type": "math_acuracy" } ] }""", "$.components[0].type", "math_acuracy")]
    [InlineData("""{ "components": [ { "name": "a", "type": "format", "weight": "high" } ] }""", "$.components[0].weight", "\"high\"")]
    [InlineData("""{ "components": [ { "name": "a", "type": "format", "weight": 1e400 } ] }""", "$.components[0].weight", "1e400")]
    [InlineData("""{ "components": [ { "name": "a", "type": "format", "weight": null } ] }""", "$.components[0].weight", "null")]
    [InlineData("""{ "components": [ { "name": "a", "type": "overlong_penalty" } ] }""", "$.components[0].options", "buffer_tokens")]
    [InlineData("""{ "components": [ { "name": "a", "type": "overlong_penalty", "options": { "buffer_tokens": 0 } } ] }""", "$.components[0].options.buffer_tokens", "got 0")]
    [InlineData("""{ "components": [ { "name": "a", "type": "math_accuracy", "options": { "timeout": 5 } } ] }""", "$.components[0].options.timeout", "timeout")]
    [InlineData("""{ "components": [ { "name": "a", "type": "math_accuracy", "options": { "timeout_ms": "5" } } ] }""", "$.components[0].options.timeout_ms", "")]
    [InlineData("""{ "components": [ { "name": "a", "type": "format", "options": { "style": "boxxed" } } ] }""", "$.components[0].options.style", "")]
    [InlineData("""{ "components": [ { "name": "a", "type": "format", "options": { "style": "regex" } } ] }""", "$.components[0].options", "pattern")]
    [InlineData("""{ "components": [ { "name": "a", "type": "format" }, { "name": "a", "type": "format" } ] }""", "$.components[1].name", "duplicate")]
    [InlineData("""{ "components": [ { "type": "format" } ] }""", "$.components[0].name", "missing")]
    [InlineData("""{ "components": [ { "name": "a", "type": "format", "wieght": 1 } ] }""", "$.components[0].wieght", "unknown key")]
    [InlineData("""{ "components": [] }""", "$.components", "non-empty")]
    [InlineData("""{ "aggregation": "mean", "components": [ { "name": "a", "type": "format" } ] }""", "$.aggregation", "\"mean\"")]
    [InlineData("""{ "epsilon": -1, "components": [ { "name": "a", "type": "format" } ] }""", "$.epsilon", "-1")]
    [InlineData("""{ "components": [ { "name": "a", "type": "format", "data_sources": "gsm8k" } ] }""", "$.components[0].data_sources", "gsm8k")]
    [InlineData("""{ "components": [ """, "$", "line 1")]
    [InlineData("""[1, 2]""", "$", "[1, 2]")]
    public void Parse_InvalidConfig_ErrorNamesPathAndValue(string json, string path, string mentions)
    {
        var e = Assert.Throws<RewardConfigException>(() => RewardMixParser.Parse(json, "mix.jsonc"));
        Assert.Equal(path, e.JsonPath);
        Assert.StartsWith($"mix.jsonc: {path}: ", e.Message);
        Assert.Contains(mentions, e.Message);
    }

    [Fact]
    public void Load_MissingFile_NamesTheFile()
    {
        var e = Assert.Throws<RewardConfigException>(() => RewardMixParser.Load("/nonexistent/rewards.json"));
        Assert.Contains("/nonexistent/rewards.json", e.Message);
    }

    [Fact]
    public void Parse_NormalizeThenSumWithEpsilonAndOptions()
    {
        var mix = RewardMixParser.Parse("""
            { "aggregation": "normalize_then_sum", "epsilon": 0.001,
              "components": [ { "name": "acc", "type": "math_accuracy", "weight": 2, "options": { "last_number_fallback": false, "decimal_places": 3 } } ] }
            """);
        Assert.Equal(RewardAggregation.NormalizeThenSum, mix.Aggregation);
        Assert.Equal(0.001, mix.Epsilon);
        var accuracy = Assert.IsType<MathAccuracyReward>(mix.Components[0].Function);
        Assert.False(accuracy.Verifier.Options.LastNumberFallback);
        Assert.Equal(3, accuracy.Verifier.Options.DecimalPlaces);
    }

    internal static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "RlTrainer.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("repository root not found");
    }
}
