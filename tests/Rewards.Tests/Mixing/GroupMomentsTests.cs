using RlTrainer.Rewards.Mixing;

namespace RlTrainer.Rewards.Tests.Mixing;

public class GroupMomentsTests
{
    [Fact]
    public void Of_LeavesNaNOut_AndGivesBesselAndPopulationVariance()
    {   // scorable 1, 0, 0, 3: mean 1, squares 0 + 1 + 1 + 4 = 6 → unbiased 6/3 = 2, population 6/4 = 1.5
        var m = GroupMoments.Of([1, double.NaN, 0, 0, 3]);
        Assert.Equal((4, 1.0, 6.0), (m.Count, m.Mean, m.SumOfSquares));
        Assert.Equal(2.0, m.Variance());
        Assert.Equal(1.5, m.Variance(unbiased: false));
        Assert.Equal(Math.Sqrt(2.0), m.Std());
    }

    [Fact]
    public void FewerThanTwoValues_HaveNoBesselStd()
    {
        Assert.True(double.IsNaN(GroupMoments.Of([5.0]).Std()));
        Assert.Equal(0.0, GroupMoments.Of([5.0]).Std(unbiased: false));
        var none = GroupMoments.Of([double.NaN, double.NaN]);
        Assert.Equal(0, none.Count);
        Assert.True(double.IsNaN(none.Mean));
    }
}
