using RlTrainer.Rewards.Functions;

namespace RlTrainer.Rewards.Tests.Functions;

public class FormatRewardTests
{
    private static double? Score(FormatStyle style, string completion, string? pattern = null) =>
        new FormatReward(new FormatRewardOptions { Style = style, Pattern = pattern }).Score(new RewardInput(completion, "1"));

    [Theory]
    [InlineData(@"so \boxed{42}.", 1.0)]
    [InlineData(@"so \boxed{}.", 0.0)]
    [InlineData(@"so \boxed{42", 0.0)]
    [InlineData("so 42.", 0.0)]
    [InlineData(@"<think>\boxed{1}</think> no box here", 0.0)]
    public void Boxed(string completion, double expected) => Assert.Equal(expected, Score(FormatStyle.Boxed, completion));

    [Theory]
    [InlineData("48 + 24 = 72\n#### 72", 1.0)]
    [InlineData("#### -1,250.5", 1.0)]
    [InlineData("#### $18", 1.0)]
    [InlineData("#### seventy-two", 0.0)]
    [InlineData("The answer is 72", 0.0)]
    public void Gsm8k(string completion, double expected) => Assert.Equal(expected, Score(FormatStyle.Gsm8k, completion));

    [Theory]
    [InlineData("<think>reasoning</think>The answer is 3.", 1.0)]
    [InlineData("reasoning</think> 3", 1.0)]
    [InlineData("<think></think> 3", 0.0)]
    [InlineData("<think>a</think>b</think>c", 0.0)]
    [InlineData("<think>reasoning</think>   ", 0.0)]
    [InlineData("no think at all", 0.0)]
    public void ThinkThenAnswer(string completion, double expected) => Assert.Equal(expected, Score(FormatStyle.ThinkThenAnswer, completion));

    [Theory]
    [InlineData(@"<think>r</think>so \boxed{3}", 1.0)]
    [InlineData("<think>r</think>so 3", 0.0)]
    public void ThinkThenBoxed(string completion, double expected) => Assert.Equal(expected, Score(FormatStyle.ThinkThenBoxed, completion));

    [Fact]
    public void Regex_MatchesWholeCompletion()
    {
        Assert.Equal(1.0, Score(FormatStyle.Regex, "<answer>5</answer>", @"<answer>\d+</answer>"));
        Assert.Equal(0.0, Score(FormatStyle.Regex, "x <answer>5</answer>", @"<answer>\d+</answer>"));
    }

    [Fact]
    public void Regex_CatastrophicPattern_ScoresZeroWithinItsTimeout()
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        Assert.Equal(0.0, Score(FormatStyle.Regex, new string('a', 40) + "!", "(a+)+b"));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2));
    }

    [Fact]
    public void Regex_WithoutPattern_IsRejected()
    {
        Assert.Throws<ArgumentException>(() => new FormatReward(new FormatRewardOptions { Style = FormatStyle.Regex }));
        Assert.Throws<ArgumentException>(() => new FormatReward(new FormatRewardOptions { Pattern = "x" }));
    }
}
