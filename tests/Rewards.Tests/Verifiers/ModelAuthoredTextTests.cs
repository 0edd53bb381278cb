using RlTrainer.Rewards.Verifiers;

namespace RlTrainer.Rewards.Tests.Verifiers;

public class ModelAuthoredTextTests
{
    private const string Call = "<tool_call>\n{\"name\": \"calculator\", \"arguments\": {\"expression\": \"6*7\"}}\n</tool_call>";

    [Theory]
    [InlineData("The answer is 42.", "The answer is 42.")]                                     // no markup: unchanged
    [InlineData("I compute it.\n" + Call, "I compute it.\n")]
    [InlineData(Call + "\n" + Call, "\n")]                                                      // two calls in one turn
    [InlineData("a <tool_call>{\"name\": \"calculator\"", "a ")]                               // unclosed: to the end
    [InlineData("a <tool_call>{ <tool_call>{}</tool_call> b", "a  b")]                          // unclosed: to the next block
    public void WithoutCalls(string turn, string expected) => Assert.Equal(expected, ModelAuthoredText.WithoutCalls(turn));

    [Fact]
    public void FromTranscript_LeavesOutResponsesAndTheirRoleLines()
    {
        // Two tool turns, the second with two responses in one user turn (special tokens removed).
        var text = "Let me.\n" + Call + "\nuser\n<tool_response>\n42\n</tool_response>\nassistant\n" +
                   "Check: " + Call + Call + "\nuser\n<tool_response>\n42\n</tool_response>\n<tool_response>\n42\n</tool_response>\nassistant\n" +
                   "6 * 7 = 42";
        Assert.Equal("Let me.\n\nCheck: \n6 * 7 = 42", ModelAuthoredText.FromTranscript(text));
    }

    [Fact]
    public void FromTranscript_AnUnclosedResponse_RunsToTheEnd() =>
        Assert.Equal("x\n", ModelAuthoredText.FromTranscript("x" + Call + "\nuser\n<tool_response>\n12...(trunc"));

    [Fact]
    public void FromTurns_AnUnclosedCall_EndsWithItsTurn() =>
        // Turn 1 was cut inside its call (malformed, answered with an error); turn 2's box is the answer.
        Assert.Equal("\n\\boxed{5}", ModelAuthoredText.FromTurns(["<tool_call>{\"name\": \"calc", @"\boxed{5}"]));

    [Fact]
    public void AnswerExtractor_ReadsTheModelsTextOnly()
    {
        const string Response = "\nuser\n<tool_response>\n42\n</tool_response>\nassistant\n";
        Assert.Null(AnswerExtractor.FromCompletion(Call));
        Assert.Null(AnswerExtractor.FromCompletion(Call + Response));
        Assert.Equal(("41", AnswerSource.LastNumber), Read(Call + Response + "It is 41"));
        Assert.Equal(("42", AnswerSource.Boxed), Read(Call + Response + @"so \boxed{42}"));
    }

    private static (string?, AnswerSource?) Read(string completion) =>
        AnswerExtractor.FromCompletion(completion) is { } a ? (a.Text, a.Source) : (null, null);
}
