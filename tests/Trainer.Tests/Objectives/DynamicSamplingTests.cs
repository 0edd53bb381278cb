using RlTrainer.Trainer.Objectives;

namespace RlTrainer.Trainer.Tests.Objectives;

public class DynamicSamplingTests
{
    [Fact]
    public void KeepGroups_DropsGroupsWithoutRewardSignal()
    {   // all-correct, mixed, all-wrong, equal decimals, one scorable, mixed with a NaN
        double[] r = { 1, 1, 1, 0, 1, 0, 0, 0, 0, 0.3, 0.3, 0.3, double.NaN, 1, double.NaN, 1, 0, double.NaN };
        Assert.Equal(new[] { false, true, false, false, false, true }, DynamicSampling.KeepGroups(r, 3));
    }

    [Fact]
    public void KeepGroups_GroupOfOne_IsKept()
    {   // verl keeps n == 1 groups (there is nothing to compare)
        Assert.Equal(new[] { true, true }, DynamicSampling.KeepGroups(new double[] { 1, 1 }, 1));
    }

    [Fact]
    public void KeepGroups_RaggedRewards_Throw()
    {
        var ex = Assert.Throws<ArgumentException>(() => DynamicSampling.KeepGroups(new double[] { 1, 0, 1 }, 2));
        Assert.Contains("3", ex.Message);
    }
}
