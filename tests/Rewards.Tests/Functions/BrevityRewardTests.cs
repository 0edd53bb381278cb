using RlTrainer.Rewards.Functions;

namespace RlTrainer.Rewards.Tests.Functions;

public class BrevityRewardTests
{
    [Theory]
    [InlineData(0, 64, 1.0)]
    [InlineData(16, 64, 0.75)]
    [InlineData(64, 64, 0.0)]
    [InlineData(80, 64, 0.0)]
    public void OneMinusLengthOverLimit(int tokens, int limit, double expected) =>
        Assert.Equal(expected, new BrevityReward(new BrevityRewardOptions()).Score(
            new RewardInput("x", null) { CompletionTokens = tokens, MaxCompletionTokens = limit }));

    [Fact]
    public void OwnLimit_WinsOverTheTrainers() =>
        Assert.Equal(0.5, new BrevityReward(new BrevityRewardOptions { MaxCompletionTokens = 20 }).Score(
            new RewardInput("x", null) { CompletionTokens = 10, MaxCompletionTokens = 64 }));

    [Fact]
    public void UnknownLength_IsNull() =>
        Assert.Null(new BrevityReward(new BrevityRewardOptions()).Score(new RewardInput("x", null) { MaxCompletionTokens = 64 }));
}
