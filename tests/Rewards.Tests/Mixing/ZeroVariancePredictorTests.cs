using RlTrainer.Rewards.Mixing;

namespace RlTrainer.Rewards.Tests.Mixing;

public class ZeroVariancePredictorTests
{
    private static RewardMix Mix(string components) => RewardMixParser.Parse($$"""{ "components": [ {{components}} ] }""");

    [Fact]
    public void AccuracyOnly_IsFixedByCorrectness()
    {
        var mix = Mix("""{ "name": "a", "type": "math_accuracy" }""");
        Assert.True(ZeroVariancePredictor.RewardFixedBy(mix, true));
        Assert.True(ZeroVariancePredictor.RewardFixedBy(mix, false));
    }

    [Fact]
    public void Erd_VariesAmongCorrectAnswersOnly()
    {
        var mix = Mix("""{ "name": "a", "type": "math_accuracy" }, { "name": "e", "type": "external_redundancy" }""");
        Assert.False(ZeroVariancePredictor.RewardFixedBy(mix, true));
        Assert.True(ZeroVariancePredictor.RewardFixedBy(mix, false));
    }

    [Fact]
    public void LengthOrFormTerms_BlockBoth_UnlessWeightedZero()
    {
        var overlong = Mix("""{ "name": "a", "type": "math_accuracy" }, { "name": "o", "type": "overlong_penalty", "options": { "buffer_tokens": 8 } }""");
        Assert.False(ZeroVariancePredictor.RewardFixedBy(overlong, true));
        Assert.False(ZeroVariancePredictor.RewardFixedBy(overlong, false));
        var format = Mix("""{ "name": "a", "type": "math_accuracy" }, { "name": "f", "type": "format" }""");
        Assert.False(ZeroVariancePredictor.RewardFixedBy(format, false));
        var off = Mix("""{ "name": "a", "type": "math_accuracy" }, { "name": "f", "type": "format", "weight": 0 }""");
        Assert.True(ZeroVariancePredictor.RewardFixedBy(off, false));
    }
}
