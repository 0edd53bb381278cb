using RlTrainer.Rewards.Functions;
using RlTrainer.Rewards.Mixing;

namespace RlTrainer.Rewards.Tests.Mixing;

public class RewardMixTests
{
    private static RewardMix Mix(RewardAggregation aggregation, params double[] weights) =>
        new(weights.Select((w, k) => new RewardComponent($"c{k}", new MathAccuracyReward(), w)).ToArray(), aggregation);

    [Fact]
    public void SumThenNormalize_WeightedSum_NullsLeftOut()
    {
        var mix = Mix(RewardAggregation.SumThenNormalize, 1.0, 0.5);
        var totals = mix.Combine(new[]
        {
            new double?[] { 1, 1 },       // 1 + 0.5
            new double?[] { 0, null },    // 0: the null is not a 0, but it adds nothing either
            new double?[] { null, 1 },    // 0.5, not (0 + 0.5)/2 or similar
            new double?[] { null, null }, // nothing applies
            new double?[] { 1, -1 },      // 1 − 0.5
        }, groupSize: 1);
        Assert.Equal(new double?[] { 1.5, 0.0, 0.5, null, 0.5 }, totals);
    }

    [Fact]
    public void NormalizeThenSum_OneGroup_MatchesHandComputation()
    {
        // Component 1 [1,0,1,0]: mean 0.5, unbiased std √(1/3) → ±0.5/(0.577350+1e-4) = ±0.865875 (tools/reference/test_vectors_output.txt section 1).
        // Component 2 [−120,−100,−60,−80]: mean −90, std √(2000/3) = 25.819889 → [−30,−10,30,10]/(25.819889+1e-4).
        var mix = Mix(RewardAggregation.NormalizeThenSum, 1.0, 0.5);
        var totals = mix.Combine(new[]
        {
            new double?[] { 1, -120 }, new double?[] { 0, -100 }, new double?[] { 1, -60 }, new double?[] { 0, -80 },
        }, groupSize: 4);
        var expected = new[] { 0.28493017782087493, -1.0595238470739772, 1.4468206817005282, -0.6722270124474261 };
        for (var i = 0; i < 4; i++) Assert.Equal(expected[i], totals[i]!.Value, 9);
    }

    [Fact]
    public void NormalizeThenSum_NullMemberExcluded_AndSingleValueComponentDropsOut()
    {
        var mix = Mix(RewardAggregation.NormalizeThenSum, 1.0, 2.0);
        var totals = mix.Combine(new[]
        {
            // Component 1 over [1, null, 0, 1]: mean 2/3, std √(1/3); component 2 has one value → dropped.
            new double?[] { 1, null }, new double?[] { null, 5 }, new double?[] { 0, null }, new double?[] { 1, null },
        }, groupSize: 4);
        Assert.Equal(0.5772502865071344, totals[0]!.Value, 9);
        Assert.Null(totals[1]);
        Assert.Equal(-1.1545005730142686, totals[2]!.Value, 9);
        Assert.Equal(0.5772502865071344, totals[3]!.Value, 9);
    }

    [Fact]
    public void NormalizeThenSum_GroupsAreIndependent_AndEqualValuesGiveZero()
    {
        var mix = Mix(RewardAggregation.NormalizeThenSum, 1.0);
        var totals = mix.Combine(new[] { new double?[] { 1 }, new double?[] { 1 }, new double?[] { 0 }, new double?[] { 1 } }, groupSize: 2);
        Assert.Equal(0.0, totals[0]!.Value, 12);
        Assert.Equal(0.0, totals[1]!.Value, 12);
        // [0, 1]: mean 0.5, unbiased std √0.5 → ∓0.5/(0.707107+1e-4).
        Assert.Equal(-0.5 / (Math.Sqrt(0.5) + 1e-4), totals[2]!.Value, 12);
        Assert.Equal(0.5 / (Math.Sqrt(0.5) + 1e-4), totals[3]!.Value, 12);
    }

    [Fact]
    public void NormalizeThenSum_BatchNotWholeGroups_Throws()
    {
        var mix = Mix(RewardAggregation.NormalizeThenSum, 1.0);
        Assert.Throws<ArgumentException>(() => mix.Combine(new[] { new double?[] { 1 }, new double?[] { 0 }, new double?[] { 1 } }, 2));
    }

    [Fact]
    public void Score_KeepsPerComponentValues_AndRoutesByDataSource()
    {
        var mix = new RewardMix(new[]
        {
            new RewardComponent("accuracy", new MathAccuracyReward(), 1.0),
            new RewardComponent("gsm8k_format", new FormatReward(new FormatRewardOptions { Style = FormatStyle.Gsm8k }), 0.5,
                                new HashSet<string> { "gsm8k" }),
        });
        var scores = mix.Score(new[]
        {
            new RewardInput("24 + 48\n#### 72", "72") { DataSource = "gsm8k" },
            new RewardInput(@"\boxed{72}", "72") { DataSource = "math" },
            new RewardInput("#### 71", "72") { DataSource = "gsm8k" },
        }, groupSize: 1);
        Assert.Equal(new[] { "accuracy", "gsm8k_format" }, scores.ComponentNames);
        Assert.Equal(new double?[] { 1.0, 1.0 }, scores.Components[0]);
        Assert.Equal(new double?[] { 1.0, null }, scores.Components[1]);
        Assert.Equal(new double?[] { 0.0, 1.0 }, scores.Components[2]);
        Assert.Equal(new double?[] { 1.5, 1.0, 0.5 }, scores.Totals);
    }

    [Fact]
    public void Default_IsMathAccuracyWeightOne()
    {
        var mix = RewardMix.Default;
        Assert.Single(mix.Components);
        Assert.Equal(MathAccuracyReward.TypeName, mix.Components[0].Function.Type);
        Assert.Equal(1.0, mix.Components[0].Weight);
        Assert.Equal(RewardAggregation.SumThenNormalize, mix.Aggregation);
    }
}
