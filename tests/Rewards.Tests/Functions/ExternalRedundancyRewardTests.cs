using RlTrainer.Rewards.Functions;
using RlTrainer.Rewards.Mixing;

namespace RlTrainer.Rewards.Tests.Functions;

public class ExternalRedundancyRewardTests
{
    private const string Base = "7 + 3 = 10. 10 / 2 = 5. \\boxed{5}";   // 12 + 12 + 9 = 33 chars
    private const string Tail = " Wait: \\boxed{5}";                      // 16 chars
    private readonly ExternalRedundancyReward _erd = new();

    [Fact]
    public void CharacterRatio_WithoutTokenOffsets()
    {
        Assert.Equal(-16.0 / 49.0, _erd.Score(new RewardInput(Base + Tail, "5"))!.Value, 12);
    }

    [Fact]
    public void TokenRatio_WithTokenOffsets()
    {
        // Five tokens ending at 12, 24, 33, 40, 49: two lie after the first correct box (ends at 33).
        var input = new RewardInput(Base + Tail, "5") { TokenCharEnds = [12, 24, 33, 40, 49] };
        Assert.Equal(-0.4, _erd.Score(input)!.Value, 12);
    }

    [Fact]
    public void NoTail_IsZero_WrongIsZero_UngradableIsNull()
    {
        Assert.Equal(0.0, _erd.Score(new RewardInput(Base, "5")));
        Assert.Equal(0.0, _erd.Score(new RewardInput(Base + Tail, "6")));
        Assert.Null(_erd.Score(new RewardInput(Base + Tail, "")));
    }

    [Fact]
    public void FirstCorrectSolution_SkipsEarlierWrongAnswers_AndUsesAnswerPhrases()
    {
        var text = "\\boxed{6} no. The answer is 5. ok \\boxed{5}";
        // "\boxed{6} no." is wrong; the phrase "The answer is 5." ends at index 30.
        Assert.Equal(30, _erd.FirstCorrectSolutionEnd(text, "5", "5"));
        Assert.Equal(-(text.Length - 30.0) / text.Length, _erd.Score(new RewardInput(text, "5"))!.Value, 12);
    }

    [Fact]
    public void LiteralFallback_RespectsTheLookbehindOfTheReferenceCode()
    {
        // "12" inside "112" or after "/" is not a match; the standalone "12" is.
        var text = "112 - 100 = 12 so 12";
        Assert.Equal(14, _erd.FirstCorrectSolutionEnd(text, "12", null));
        Assert.Null(_erd.FirstCorrectSolutionEnd("24/12", "12", null));
    }

    [Fact]
    public void OnlyTheReasoningBeforeEndOfThinkingCounts()
    {
        var text = "a \\boxed{5} b</think>\\boxed{5}";            // reasoning "a \boxed{5} b": 13 chars, 2 after the box
        Assert.Equal(-2.0 / 13.0, _erd.Score(new RewardInput(text, "5"))!.Value, 12);
    }

    [Fact]
    public void WithAccuracyInAMix_GivesTheProductForm()
    {
        var mix = RewardMixParser.Parse("""
            { "components": [ { "name": "acc", "type": "math_accuracy" }, { "name": "erd", "type": "external_redundancy" } ] }
            """);
        var scores = mix.Score([new RewardInput(Base + Tail, "5"), new RewardInput(Base + Tail, "4")], 1);
        Assert.Equal(1.0 * (1 - 16.0 / 49.0), scores.Totals[0]!.Value, 12);
        Assert.Equal(0.0, scores.Totals[1]!.Value, 12);
    }
}
