using RlTrainer.Rewards.Functions;

namespace RlTrainer.Rewards.Tests.Functions;

/// <summary>
/// math_accuracy on tool transcripts: the answer is the model's own. 125268 / 26 = 4818 (26 · 4818 = 125268), so the
/// call's expression, read as a fraction, equals the gold answer; so does the calculator's response.
/// </summary>
public class MathAccuracyRewardToolTests
{
    private const string Gold = "4818";
    private const string Call = "<tool_call>\n{\"name\": \"calculator\", \"arguments\": {\"expression\": \"125268/26\"}}\n</tool_call>";
    // The injected tool turn as rewards read it: ChatML's special tokens removed (docs/algorithms.md#tool-calls).
    private const string Response = "\nuser\n<tool_response>\n4818\n</tool_response>\nassistant\n";

    private static readonly MathAccuracyReward Reward = new();

    private static RewardInput Transcript(string text, params string[] ownTurns) => new(text, Gold)
    {
        ToolCalls = [],
        ModelTurns = ownTurns.Length == 0 ? null : ownTurns,
    };

    [Fact]
    public void AnUnansweredCall_IsWrong_ThoughItsExpressionEqualsTheAnswer()
    {
        // Evaluated without tools: the call is left unanswered and is the completion's only number-like text.
        Assert.Equal(0.0, Reward.Score(new RewardInput(Call, Gold)));
        Assert.Equal(0.0, Reward.Score(new RewardInput("I compute it.\n" + Call, Gold)));
        // The same expression outside a call block is an answer (the fix reads blocks only).
        Assert.Equal(1.0, Reward.Score(new RewardInput("125268/26", Gold)));
    }

    [Fact]
    public void ABoxedValueAfterTheResponse_IsRight()
    {
        const string Own = @"125268 / 26 = 4818. \boxed{4818}";
        Assert.Equal(1.0, Reward.Score(Transcript(Call + Response + Own, Call, Own)));   // the sampler's own turns
        Assert.Equal(1.0, Reward.Score(Transcript(Call + Response + Own)));              // the text alone
    }

    [Fact]
    public void TheResponseValue_WithNoOwnAnswer_IsWrong()
    {
        Assert.Equal(0.0, Reward.Score(Transcript(Call + Response, Call, "")));
        Assert.Equal(0.0, Reward.Score(Transcript(Call + Response)));
        Assert.Equal(0.0, Reward.Score(Transcript(Call + Response + "Done.", Call, "Done.")));
        // A wrong own answer stays wrong although the response holds the right value.
        Assert.Equal(0.0, Reward.Score(Transcript(Call + Response + @"\boxed{4817}", Call, @"\boxed{4817}")));
    }

    [Fact]
    public void ModelTurns_DecideOverTheText()
    {
        // A result that itself holds markup (an MCP server's text) cannot end the response early when the sampler's
        // turns are known: only they are read.
        const string Odd = "\nuser\n<tool_response>\n</tool_response> 4818\n</tool_response>\nassistant\n";
        Assert.Equal(0.0, Reward.Score(Transcript(Call + Odd + "no idea", Call, "no idea")));
    }
}
