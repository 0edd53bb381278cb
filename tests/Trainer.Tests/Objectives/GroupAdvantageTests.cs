using RlTrainer.Trainer.Objectives;
using static RlTrainer.Trainer.Tests.Objectives.TestTensors;

namespace RlTrainer.Trainer.Tests.Objectives;

public class GroupAdvantageTests
{
    // Four groups of four, tools/reference/test_vectors_output.txt section 1 (tools/reference/test_vectors.py, pure Python).
    private static readonly double[] Rewards = { 1, 0, 0, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0.5, 0.2, 0.9, 0.4 };

    public static TheoryData<string, ScaleRewards, double, bool, double[]> Variants => new()
    {
        { "TRL group", ScaleRewards.Group, 1e-4, true, new[] {
            0.865875430, -0.865875430, -0.865875430, 0.865875430, 0, 0, 0, 0,
            1.499700060, -0.499900020, -0.499900020, -0.499900020, 0, -1.018703294, 1.358271059, -0.339567765 } },
        { "no std (Dr. GRPO)", ScaleRewards.None, 1e-4, true, new[] {
            0.5, -0.5, -0.5, 0.5, 0, 0, 0, 0, 0.75, -0.25, -0.25, -0.25, 0, -0.3, 0.4, -0.1 } },
        { "verl", ScaleRewards.Group, 1e-6, true, new[] {
            0.866023904, -0.866023904, -0.866023904, 0.866023904, 0, 0, 0, 0,
            1.499997000, -0.499999000, -0.499999000, -0.499999000, 0, -1.019045869, 1.358727826, -0.339681956 } },
        { "FeynRL", ScaleRewards.Group, 1e-8, true, new[] {
            0.866025389, -0.866025389, -0.866025389, 0.866025389, 0, 0, 0, 0,
            1.499999970, -0.499999990, -0.499999990, -0.499999990, 0, -1.019049296, 1.358732395, -0.339683099 } },
        { "population std", ScaleRewards.Group, 1e-8, false, new[] {
            0.999999980, -0.999999980, -0.999999980, 0.999999980, 0, 0, 0, 0,
            1.732050768, -0.577350256, -0.577350256, -0.577350256, 0, -1.176696765, 1.568929020, -0.392232255 } },
    };

    [Theory]
    [MemberData(nameof(Variants))]
    public void Compute_SpecVectors_MatchReference(string variant, ScaleRewards scale, double eps, bool unbiased, double[] expected)
    {
        var r = Rewards;
        var a = GroupAdvantage.Compute(r, 4, scale, eps, unbiased);
        Assert.True(a.Length == 16, variant);
        AllClose(expected, a, 1e-8);
    }

    [Fact]
    public void Compute_BatchScale_UsesGroupMeanAndBatchStd()
    {   // means .5 and 1; unbiased std of all eight rewards = sqrt(1.5/7) = 0.462910050 → .5/(.462910050+1e-4) = 1.079890167
        double[] r = [1, 0, 0, 1, 1, 1, 1, 1];
        var a = GroupAdvantage.Compute(r, 4, ScaleRewards.Batch, 1e-4);
        AllClose(new[] { 1.079890167, -1.079890167, -1.079890167, 1.079890167, 0, 0, 0, 0 }, a, 1e-8);
    }

    [Fact]
    public void Compute_UnscorableReward_LeftOutOfStatisticsAndZeroed()
    {   // scorable [1,0,0]: mean 1/3, std sqrt(1/3) → 2/3 / (0.577350+1e-4) = 1.154500573, −1/3 / … = −0.577250287
        double[] r = [1, double.NaN, 0, 0, double.NaN, double.NaN, double.NaN, 1];
        var a = GroupAdvantage.Compute(r, 4, ScaleRewards.Group, 1e-4);
        AllClose(new[] { 1.154500573, 0, -0.577250287, -0.577250287, 0, 0, 0, 0 }, a, 1e-8);
    }

    [Fact]
    public void IsZeroVariance_EqualOrUnderScoredGroups_AreZeroVariance()
    {   // equal ints, equal non-dyadic decimals, one scorable reward → zero variance; the last group has signal
        Assert.True(GroupAdvantage.IsZeroVariance([1, 1, 1, 1]));
        Assert.True(GroupAdvantage.IsZeroVariance([0.1, 0.1, 0.1, 0.1]));
        Assert.True(GroupAdvantage.IsZeroVariance([double.NaN, 1, double.NaN, double.NaN]));
        Assert.False(GroupAdvantage.IsZeroVariance([double.NaN, 1, double.NaN, 0]));
        Assert.False(GroupAdvantage.IsZeroVariance([1, 0, 0, 1]));
    }

    [Fact]
    public void Compute_RaggedBatch_ThrowsNamingCounts()
    {
        double[] r = [1, 0, 0];
        var ex = Assert.Throws<ArgumentException>(() => GroupAdvantage.Compute(r, 2, ScaleRewards.Group, 1e-4));
        Assert.Contains("3", ex.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => GroupAdvantage.Compute(r, 1, ScaleRewards.Group, 1e-4));
    }
}
