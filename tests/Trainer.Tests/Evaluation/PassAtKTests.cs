using RlTrainer.Trainer.Evaluation;

namespace RlTrainer.Trainer.Tests.Evaluation;

public sealed class PassAtKTests
{
    [Theory]
    // 1 − C(3,2)/C(5,2) = 1 − 3/10
    [InlineData(5, 2, 2, 0.7)]
    // 1 − C(7,5)/C(10,5) = 1 − 21/252
    [InlineData(10, 3, 5, 0.9166666666666666)]
    // 1 − C(3,3)/C(4,3) = 1 − 1/4
    [InlineData(4, 1, 3, 0.75)]
    // k = 1 is the plain success rate c/n
    [InlineData(10, 3, 1, 0.3)]
    [InlineData(1000, 10, 1, 0.01)]
    // 1 − C(199,100)/C(200,100) = 1 − 100/200; the binomials themselves are ~1e58
    [InlineData(200, 1, 100, 0.5)]
    [InlineData(5, 0, 3, 0.0)]
    [InlineData(5, 5, 3, 1.0)]
    // only 1 wrong sample, so any 2 include a correct one
    [InlineData(5, 4, 2, 1.0)]
    public void Estimate_MatchesHandComputedBinomials(int n, int c, int k, double expected) =>
        Assert.Equal(expected, PassAtK.Estimate(n, c, k), 12);

    [Fact]
    public void Mean_AveragesOverProblems() =>
        // (0.7 + 0) / 2
        Assert.Equal(0.35, PassAtK.Mean([(5, 2), (5, 0)], 2), 12);

    [Theory]
    [InlineData(0, 0, 1)]
    [InlineData(5, 6, 1)]
    [InlineData(5, -1, 1)]
    [InlineData(5, 2, 0)]
    [InlineData(5, 2, 6)]
    public void Estimate_RejectsImpossibleCounts(int n, int c, int k) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => PassAtK.Estimate(n, c, k));
}
