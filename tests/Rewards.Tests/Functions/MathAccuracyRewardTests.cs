using RlTrainer.Rewards.Functions;
using RlTrainer.Rewards.Verifiers;

namespace RlTrainer.Rewards.Tests.Functions;

public class MathAccuracyRewardTests
{
    [Theory]
    [InlineData(@"so \boxed{\frac{1}{2}}", "0.5", 1.0)]
    [InlineData(@"so \boxed{\frac{1}{3}}", "0.5", 0.0)]
    [InlineData("I give up", "0.5", 0.0)]
    [InlineData(@"\boxed{1}", "", null)]
    public void Score(string completion, string gold, double? expected)
    {
        Assert.Equal(expected, new MathAccuracyReward().Score(new RewardInput(completion, gold)));
    }

    [Fact]
    public void Score_StrictOptions_NoLastNumberFallback()
    {
        var reward = new MathAccuracyReward(new MathVerifierOptions { LastNumberFallback = false });
        Assert.Equal(0.0, reward.Score(new RewardInput("it is 12", "12")));
        Assert.Equal(MathAccuracyReward.TypeName, reward.Type);
    }
}
