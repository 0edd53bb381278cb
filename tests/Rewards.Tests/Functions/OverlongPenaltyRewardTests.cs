using RlTrainer.Rewards.Functions;

namespace RlTrainer.Rewards.Tests.Functions;

public class OverlongPenaltyRewardTests
{
    // tools/reference/test_vectors_output.txt section 8: L_max = 20, L_buf = 4, c = 1.
    [Theory]
    [InlineData(10, 0.0)]
    [InlineData(16, 0.0)]
    [InlineData(17, -0.25)]
    [InlineData(18, -0.5)]
    [InlineData(20, -1.0)]
    [InlineData(25, -1.0)] // beyond L_max: floored at −c
    public void Score_SpecVector(int length, double expected)
    {
        var reward = new OverlongPenaltyReward(new OverlongPenaltyOptions { BufferTokens = 4 });
        var input = new RewardInput("text", null) { CompletionTokens = length, MaxCompletionTokens = 20 };
        Assert.Equal(expected, reward.Score(input)!.Value, 12);
    }

    [Fact]
    public void Score_PenaltyFactorScales_AndOptionOverridesTrainerLimit()
    {
        // L_max 100 from options, L_buf 20, c 0.5: |y| = 90 exceeds 80 by 10 → −0.5 · 10/20 = −0.25.
        var reward = new OverlongPenaltyReward(new OverlongPenaltyOptions { BufferTokens = 20, PenaltyFactor = 0.5, MaxCompletionTokens = 100 });
        Assert.Equal(-0.25, reward.Score(new RewardInput("", null) { CompletionTokens = 90, MaxCompletionTokens = 4096 })!.Value, 12);
    }

    [Fact]
    public void Score_UnknownLengthOrLimit_IsNotApplicable()
    {
        var reward = new OverlongPenaltyReward(new OverlongPenaltyOptions { BufferTokens = 4 });
        Assert.Null(reward.Score(new RewardInput("", null) { MaxCompletionTokens = 20 }));
        Assert.Null(reward.Score(new RewardInput("", null) { CompletionTokens = 20 }));
    }
}
