using RlTrainer.Rewards.Functions;
using RlTrainer.Rewards.Mixing;

namespace RlTrainer.Rewards.Tests.Functions;

public class ToolUseRewardTests
{
    private static ToolCallRecord Call(ToolCallStatus status) => new(1, "calculator", "{}", "1", status, 0.01);

    private static RewardInput With(params ToolCallStatus[] calls) => new("x", null) { ToolCalls = calls.Select(Call).ToArray() };

    [Fact]
    public void WithoutTools_NotApplicable() =>
        Assert.Null(new ToolUseReward(new ToolUseRewardOptions { PerCall = -1 }).Score(new RewardInput("x", null)));

    [Fact]
    public void CostPerCall_AndBonusPerSuccessfulCall_AndPenaltyPerFailedOne()
    {
        var r = new ToolUseReward(new ToolUseRewardOptions { PerCall = -0.1, PerSuccessfulCall = 0.5, PerFailedCall = -1 });
        // 3 calls, 2 ok: −0.3 + 1.0 − 1.0
        Assert.Equal(-0.3, r.Score(With(ToolCallStatus.Ok, ToolCallStatus.Malformed, ToolCallStatus.Ok))!.Value, 12);
        Assert.Equal(0.0, r.Score(With()));
        Assert.Equal(-1.1, r.Score(With(ToolCallStatus.TimedOut))!.Value, 12);
    }

    [Fact]
    public void AFormatBonus_IsCappedByMax()
    {
        var r = new ToolUseReward(new ToolUseRewardOptions { PerSuccessfulCall = 1, Max = 1 });
        Assert.Equal(1.0, r.Score(With(ToolCallStatus.Ok, ToolCallStatus.Ok, ToolCallStatus.Ok)));
        Assert.Equal(0.0, r.Score(With(ToolCallStatus.UnknownTool)));
    }

    [Fact]
    public void TheMixParsesIt_AndRefusesMinAboveMax()
    {
        var mix = RewardMixParser.Parse("""
            { "components": [
              { "name": "accuracy", "type": "math_accuracy" },
              { "name": "tools", "type": "tool_use", "weight": 0.1, "options": { "per_successful_call": 1, "max": 1, "per_call": -0.25 } } ] }
            """);
        var tools = mix.Components[1];
        Assert.Equal(("tools", 0.1, ToolUseReward.TypeName), (tools.Name, tools.Weight, tools.Function.Type));
        Assert.Equal(0.75, tools.Function.Score(With(ToolCallStatus.Ok)));
        var e = Assert.Throws<RewardConfigException>(() => RewardMixParser.Parse(
            """{ "components": [ { "name": "t", "type": "tool_use", "options": { "min": 2, "max": 1 } } ] }""", "r.json"));
        Assert.Contains("min (2) must not be above max (1)", e.Message);
        var unknown = Assert.Throws<RewardConfigException>(() => RewardMixParser.Parse(
            """{ "components": [ { "name": "t", "type": "tool_use", "options": { "per_cal": 1 } } ] }""", "r.json"));
        Assert.Contains("per_cal", unknown.Message);
    }
}
