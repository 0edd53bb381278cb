using RlTrainer.Trainer.Cli;
using RlTrainer.Trainer.Pruning;

namespace RlTrainer.Trainer.Tests.Cli;

public class PruneSimCommandTests
{
    private static string Printed(int abortedGroups, int falseAborts)
    {
        var rules = new[]
        {
            new PruneSimRuleResult("overthink", 3, 120, 1, 1, 2, Exact: false),
            new PruneSimRuleResult("group_abort", 5 * abortedGroups, 4000, 0, falseAborts, abortedGroups, Exact: true),
        };
        var summary = new PruneSimulator.Summary(Rows: 800, Groups: 100, SampledTokens: 40000, ZeroVarianceGroups: 80,
            StableRows: 10, StableMatchesFinal: 9, MeanErd: 0.25, Rules: rules);
        var o = new StringWriter();
        PruneSimCommand.Print(summary, o);
        return o.ToString();
    }

    [Fact]
    public void Table_ShowsGroupsFiredAndTheShareOfSampledTokens()
    {
        var text = Printed(abortedGroups: 50, falseAborts: 1);
        Assert.Contains("| group_abort | 250 | 50 | 4000 | 10.0 % | 0 | 1 | exact |", text);
        Assert.Contains("| overthink | 3 | 2 | 120 | 0.3 % | 1 | 1 | estimated answer |", text);
    }

    [Theory]
    [InlineData(50, 1, "1 of 50 aborted groups had unequal logged rewards (2.0 %; the abort gate is 2%: passes)")]
    [InlineData(50, 2, "2 of 50 aborted groups had unequal logged rewards (4.0 %; the abort gate is 2%: FAILS)")]
    public void GroupAbortGate_IsTwoPercentOfAbortedGroups(int aborted, int falseAborts, string expected) =>
        Assert.Contains(expected, Printed(aborted, falseAborts));

    [Fact]
    public void NoAbortedGroup_NoGateLine() => Assert.DoesNotContain("aborted groups had", Printed(0, 0));
}
