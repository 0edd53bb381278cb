using RlTrainer.Trainer.Reporting;

namespace RlTrainer.Trainer.Tests.Reporting;

public class MetricGroupsTests
{
    [Theory]
    [InlineData("reward/mean", "reward")]
    [InlineData("reward/math_accuracy/mean", "reward")]
    [InlineData("eval/arith/accuracy", "eval")]
    [InlineData("accuracy", "training")]
    [InlineData("grad_norm", "training")]
    [InlineData("pruning/tokens_saved", "pruning")]
    [InlineData("/odd", "training")]
    public void GroupOf_IsThePrefixBeforeTheFirstSlash(string key, string group) => Assert.Equal(group, MetricGroups.GroupOf(key));

    [Fact]
    public void Order_LeadingGroupsFirst_ThenAlphabetical() =>
        Assert.Equal(new[] { "eval", "reward", "training", "objective", "pruning", "replay", "rollout", "weights" },
            MetricGroups.Order(new[] { "weights", "rollout", "training", "replay", "objective", "eval", "pruning", "reward", "eval" }));
}
