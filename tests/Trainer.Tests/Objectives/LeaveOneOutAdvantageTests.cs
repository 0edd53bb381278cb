using RlTrainer.Trainer.Objectives;

namespace RlTrainer.Trainer.Tests.Objectives;

public sealed class LeaveOneOutAdvantageTests
{
    /// <summary>tools/reference/reweighting_examples_output.txt, example 1b: RLOO advantages, and their halving when the rewards are
    /// halved (a batch-wide multiplier such as r_pareto acts as a learning-rate multiplier under RLOO).</summary>
    [Fact]
    public void SpecExample1b_RlooAdvantagesScaleWithTheRewards()
    {
        double[] r = [0.667, 0.333, 1.0, 0.0];

        var a = LeaveOneOutAdvantage.Compute(r, 4);
        var half = LeaveOneOutAdvantage.Compute(r.Select(x => 0.5 * x).ToArray(), 4);

        // By hand: 0.667 − (0.333 + 1 + 0)/3 = 0.222667; 1 − (0.667 + 0.333 + 0)/3 = 0.666667.
        Assert.Equal([0.2226666667, -0.2226666667, 0.6666666667, -0.6666666667], a, (x, y) => Math.Abs(x - y) < 1e-6);
        Assert.Equal(a.Select(x => 0.5 * x), half, (x, y) => Math.Abs(x - y) < 1e-12);
    }

    [Fact]
    public void GroupsAreIndependent_AndEqualRewardsGiveZero()
    {
        var a = LeaveOneOutAdvantage.Compute([1.0, 1.0, 0.0, 2.0], 2);

        Assert.Equal([0.0, 0.0, -2.0, 2.0], a);
        Assert.Throws<ArgumentException>(() => LeaveOneOutAdvantage.Compute([1.0, 2.0, 3.0], 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => LeaveOneOutAdvantage.Compute([1.0], 1));
    }
}
