using RlTrainer.Rollout.Pruning;

namespace RlTrainer.Rollout.Tests.Pruning;

public class GroupAbortPolicyTests
{
    private static readonly AnswerEquivalence Eq = new();

    private static RowTrace Trace(string text)
    {
        var t = new RowTrace(new PruningOptions(), 1000, Eq);
        foreach (var c in text) t.Append(c, c.ToString());
        return t;
    }

    private static GroupAbortPolicy Policy(bool fixedWhenCorrect = true, bool fixedWhenWrong = true) =>
        new(new GroupAbortRuleOptions { StableObservations = 2 }, Eq, c => c ? fixedWhenCorrect : fixedWhenWrong);

    private const string Stable5 = "10 / 2 = 5. \\boxed{5}\n\nWait, yes \\boxed{5}\n\nBut";
    private const string Stable6 = "10 / 2 = 6. \\boxed{6}\n\nWait, yes \\boxed{6}\n\nBut";

    [Fact]
    public void AllRowsStableOnTheGoldAnswer_Aborts()
    {
        var rows = new[] { (Trace(Stable5), false), (Trace(Stable5), false), (Trace("\\boxed{5}"), true) };
        Assert.True(Policy().PredictCorrectness(rows, "5"));
        Assert.True(Policy().ShouldAbort(rows, "5"));
        Assert.True(Policy().ShouldAbort(rows, "7"));   // all wrong, and wrong is fixed too
    }

    [Fact]
    public void RowsWithDifferentCorrectness_NeverAbort()
    {
        // Finished rows give their final answers; one is right, one wrong: the rewards differ.
        var rows = new[] { (Trace(Stable5), false), (Trace("\\boxed{5}"), true), (Trace("\\boxed{6}"), true) };
        Assert.Null(Policy().PredictCorrectness(rows, "5"));
        Assert.False(Policy().ShouldAbort(rows, "5"));
        var running = new[] { (Trace(Stable5), false), (Trace(Stable6), false) };
        Assert.False(Policy().ShouldAbort(running, "5"));
        Assert.False(Policy().ShouldAbort(running, "6"));
    }

    [Fact]
    public void ARowWithoutAStableAnswer_Blocks()
    {
        var unstable = "\\boxed{5}\n\nWait \\boxed{6}\n\nBut";     // last two answers differ
        var rows = new[] { (Trace(Stable5), false), (Trace(unstable), false) };
        Assert.False(Policy().ShouldAbort(rows, "5"));
        var one = new[] { (Trace(Stable5), false), (Trace("\\boxed{5}\n\nWait"), false) };   // only one observation
        Assert.False(Policy().ShouldAbort(one, "5"));
    }

    [Fact]
    public void RewardsThatAlsoDependOnSomethingElse_Block()
    {
        var rows = new[] { (Trace(Stable5), false), (Trace(Stable5), false) };
        Assert.False(Policy(fixedWhenCorrect: false).ShouldAbort(rows, "5"));
        Assert.True(Policy(fixedWhenCorrect: false).ShouldAbort(rows, "9"));
        Assert.False(Policy().ShouldAbort(rows, null));                      // ungradable gold: nothing is provable
    }

    [Fact]
    public void AllFinished_NothingToSave()
    {
        var rows = new[] { (Trace("\\boxed{5}"), true), (Trace("\\boxed{5}"), true) };
        Assert.False(Policy().ShouldAbort(rows, "5"));
    }

    [Theory]
    [InlineData(255, 256, 0.25, 1024, true)]
    [InlineData(254, 256, 0.25, 1024, false)]
    [InlineData(127, 128, 0.25, 1024, false)]   // due, but before T_min = 256
    public void CheckDue_FollowsKCheckAndTMin(int step, int every, double minFraction, int maxNew, bool due)
    {
        var p = new GroupAbortPolicy(new GroupAbortRuleOptions { CheckEvery = every, MinTokensFraction = minFraction }, Eq, _ => true);
        Assert.Equal(due, p.CheckDue(step, maxNew));
    }

    /// Like accuracy + ERD: a wrong answer always gets the same reward, a correct one does not.
    private static GroupAbortPolicy Loose(bool requireAgreement = false) =>
        new(new GroupAbortRuleOptions { StableObservations = 1, RequireAgreement = requireAgreement }, Eq, c => !c);

    [Fact]
    public void WithoutAgreement_AllWrongRowsWithDifferentAnswers_Abort()
    {
        // Running rows are judged by the box they have written (S = 1), the finished row by its final answer.
        var rows = new[] { (Trace("10 / 2 = 6. \\boxed{6}"), false), (Trace("10 / 2 = 4. \\boxed{4}\n\nWait, check"), false),
                           (Trace("\\boxed{7}"), true) };
        Assert.False(Loose().PredictCorrectness(rows, "5"));
        Assert.True(Loose().ShouldAbort(rows, "5"));
        Assert.False(Loose(requireAgreement: true).ShouldAbort(rows, "5"));     // the default rule: the answers differ
    }

    [Fact]
    public void WithoutAgreement_ARowOnTheGoldAnswer_OrWithoutAnAnswer_Blocks()
    {
        var right = new[] { (Trace("10 / 2 = 6. \\boxed{6}"), false), (Trace("10 / 2 = 5. \\boxed{5}"), false) };
        Assert.Null(Loose().PredictCorrectness(right, "5"));
        Assert.False(Loose().ShouldAbort(right, "5"));
        var pending = new[] { (Trace("10 / 2 = 6. \\boxed{6}"), false), (Trace("10 / 2 = "), false) };
        Assert.False(Loose().ShouldAbort(pending, "5"));
        // All correct: the rows agree in correctness, but ERD makes correct rewards differ.
        var allRight = new[] { (Trace("\\boxed{5}"), false), (Trace("\\boxed{5.0}"), false) };
        Assert.True(Loose().PredictCorrectness(allRight, "5"));
        Assert.False(Loose().ShouldAbort(allRight, "5"));
    }
}
