using RlTrainer.Rewards.Mixing;
using RlTrainer.Rewards.Weighting;

namespace RlTrainer.Rewards.Tests.Mixing;

public class RewardWeightingParserTests
{
    private const string Two = """
        "components": [ { "name": "accuracy", "type": "math_accuracy" }, { "name": "brevity", "type": "brevity", "weight": 0.5 } ]
        """;

    [Fact]
    public void NoKeys_Static()
    {
        var mix = RewardMixParser.Parse($$"""{ {{Two}} }""");
        Assert.Equal(WeightingMethod.Static, mix.Weighting.Method);
    }

    [Fact]
    public void Hypervolume_DefaultsFromTheSpec()
    {
        var mix = RewardMixParser.Parse($$"""
            { {{Two}}, "weighting": "hypervolume",
              "hypervolume": { "tracked": [ { "name": "accuracy", "direction": "maximize" }, { "name": "brevity", "direction": "maximize" } ] } }
            """);
        var hv = mix.Weighting.Hypervolume!;
        Assert.Equal(WeightingMethod.Hypervolume, mix.Weighting.Method);
        Assert.Equal(new[] { "accuracy", "brevity" }, hv.TrackedComponents.Select(c => c.Name));
        Assert.Equal((0.5, 1.5, 100, 1, MetaRewardTarget.Advantages), (hv.Offset, hv.Scale, hv.ValidationProblems, hv.Every, hv.ApplyTo));
    }

    [Fact]
    public void Gradient_DefaultsAndOverrides()
    {
        var mix = RewardMixParser.Parse($$"""
            { {{Two}}, "weighting": "gradient", "gradient": { "regularization": 3e-4, "target_layers": [1, 2] } }
            """);
        var g = mix.Weighting.Gradient!;
        Assert.Equal((3e-4, 1, 1.0), (g.Regularization, g.AccumulationSteps, g.MaxGradNorm));
        Assert.Equal(new[] { 1, 2 }, g.TargetLayers);
        Assert.Null(mix.Weighting.Hypervolume);
    }

    [Fact]
    public void Gradient_WithoutItsObject_UsesDefaults()
    {
        var mix = RewardMixParser.Parse($$"""{ {{Two}}, "weighting": "gradient" }""");
        Assert.Equal(1e-5, mix.Weighting.Gradient!.Regularization);
    }

    [Theory]
    [InlineData("normalization", "\"rloo\"", "Algorithm:Advantage:Normalization")]
    [InlineData("normalization", "\"group\"", "Algorithm:Advantage:Normalization")]
    [InlineData("tmn", "{ \"gamma\": 2 }", "Algorithm:Advantage:Tmn:")]
    public void AdvantageNormalization_InTheMix_IsAnErrorNamingItsNewHome(string key, string value, string home)
    {
        var e = Assert.Throws<RewardConfigException>(() => RewardMixParser.Parse($$"""{ {{Two}}, "{{key}}": {{value}} }""", "mix.json"));
        Assert.StartsWith($"mix.json: $.{key}: ", e.Message);
        Assert.Contains(home, e.Message);
    }

    [Theory]
    [InlineData("""{ "components": [ { "name": "a", "type": "math_accuracy" } ], "weighting": "gradient" }""", "$.weighting", "got 1")]
    [InlineData("""{ "components": [ { "name": "a", "type": "math_accuracy" } ], "weighting": "dynamic" }""", "$.weighting", "\"dynamic\"")]
    [InlineData("""{ "components": [ { "name": "a", "type": "math_accuracy" } ], "weighting": "hypervolume" }""", "$.hypervolume", "needs { \"tracked\": [")]
    [InlineData("""{ "components": [ { "name": "a", "type": "math_accuracy" } ], "weighting": "hypervolume", "hypervolume": { "every": 2 } }""", "$.hypervolume.tracked", "missing")]
    [InlineData("""{ "components": [ { "name": "a", "type": "math_accuracy" } ], "weighting": "hypervolume", "hypervolume": { "tracked": [ { "name": "a", "direction": "maximize" }, { "name": "a", "direction": "minimize" } ] } }""", "$.hypervolume.tracked[1].name", "duplicate tracked component \"a\"")]
    [InlineData("""{ "components": [ { "name": "a", "type": "math_accuracy" } ], "weighting": "hypervolume", "hypervolume": { "tracked": [ { "name": "a", "direction": "maximize" } ], "tracked_components": [] } }""", "$.hypervolume.tracked_components", "tracked_components")]
    [InlineData("""{ "components": [ { "name": "a", "type": "math_accuracy" } ], "weighting": "hypervolume", "hypervolume": { "tracked": [ { "name": "a" } ] } }""", "$.hypervolume.tracked[0].direction", "\"a\"")]
    [InlineData("""{ "components": [ { "name": "a", "type": "math_accuracy" } ], "weighting": "hypervolume", "hypervolume": { "tracked": [ { "name": "a", "direction": "up" } ] } }""", "$.hypervolume.tracked[0].direction", "\"up\"")]
    [InlineData("""{ "components": [ { "name": "a", "type": "math_accuracy" } ], "weighting": "hypervolume", "hypervolume": { "tracked": [ { "name": "b", "direction": "maximize" } ] } }""", "$.hypervolume.tracked[0].name", "\"b\"")]
    [InlineData("""{ "components": [ { "name": "a", "type": "math_accuracy" } ], "weighting": "hypervolume", "hypervolume": { "tracked": [ { "name": "a", "direction": "maximize" } ], "offset": -1 } }""", "$.hypervolume.offset", "-1")]
    [InlineData("""{ "components": [ { "name": "a", "type": "math_accuracy" } ], "hypervolume": { "tracked": [] } }""", "$.hypervolume", "\"weighting\": \"hypervolume\"")]
    [InlineData("""{ "components": [ { "name": "a", "type": "math_accuracy" }, { "name": "b", "type": "brevity", "weight": 0 } ], "weighting": "gradient" }""", "$.components[1].weight", "got 0")]
    [InlineData("""{ "components": [ { "name": "a", "type": "math_accuracy" }, { "name": "b", "type": "brevity" } ], "weighting": "gradient", "gradient": { "regularisation": 1 } }""", "$.gradient.regularisation", "regularisation")]
    public void Misconfiguration_NamesFieldAndValue(string json, string path, string mention)
    {
        var e = Assert.Throws<RewardConfigException>(() => RewardMixParser.Parse(json, "mix.json"));
        Assert.Equal(path, e.JsonPath);
        Assert.StartsWith($"mix.json: {path}: ", e.Message);
        Assert.Contains(mention, e.Message);
    }

    [Theory]
    [InlineData("""{ "objectives": [ { "name": "accuracy", "direction": "maximize" } ] }""")]
    [InlineData("""{ "objectives": [ { "name": "accuracy", "direction": "maximize" } ], "tracked": [ { "name": "accuracy", "direction": "maximize" } ] }""")]
    public void Hypervolume_FormerObjectivesKey_IsAnErrorNamingItsNewName(string hypervolume)
    {
        var e = Assert.Throws<RewardConfigException>(() =>
            RewardMixParser.Parse($$"""{ {{Two}}, "weighting": "hypervolume", "hypervolume": {{hypervolume}} }""", "mix.json"));
        Assert.Equal("$.hypervolume.objectives", e.JsonPath);
        Assert.StartsWith("mix.json: $.hypervolume.objectives: renamed to \"tracked\"", e.Message);
    }

    [Fact]
    public void CombineWithWeights_ReplacesTheConfiguredOnes()
    {
        var mix = RewardMixParser.Parse($$"""{ {{Two}} }""");
        var raw = new[] { new double?[] { 1.0, 0.5 }, new double?[] { null, 0.25 } };
        Assert.Equal(new double?[] { 1.25, 0.125 }, mix.Combine(raw, 2));
        Assert.Equal(new double?[] { 0.3 + 0.35, 0.175 }, mix.Combine(raw, 2, new[] { 0.3, 0.7 }));
    }
}
