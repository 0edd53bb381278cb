using RlTrainer.Rollout.Tools;

namespace RlTrainer.Rollout.Tests.Tools;

public class ToolCallParserTests
{
    [Fact]
    public void AWellFormedCall_GivesNameAndArguments()
    {
        var call = Assert.Single(ToolCallParser.Parse(
            "I compute it.\n<tool_call>\n{\"name\": \"calculator\", \"arguments\": {\"expression\": \"123*456\"}}\n</tool_call>"));
        Assert.True(call.IsWellFormed);
        Assert.Equal("calculator", call.Name);
        Assert.Equal("123*456", call.Arguments!.Value.GetProperty("expression").GetString());
        Assert.Equal("{\"expression\":\"123*456\"}", call.ArgumentsText);
    }

    [Fact]
    public void SeveralCalls_AreReadInOrder_AndArgumentsMayBeAJsonString()
    {
        var calls = ToolCallParser.Parse(
            "<tool_call>\n{\"name\": \"a\", \"arguments\": {\"x\": \"1+2<3\"}}\n</tool_call>\n" +
            "<tool_call>{\"name\": \"b\", \"arguments\": \"{\\\"y\\\": [2, 3]}\"}</tool_call> trailing text");
        Assert.Equal(new[] { "a", "b" }, calls.Select(c => c.Name));
        Assert.All(calls, c => Assert.True(c.IsWellFormed));
        Assert.Equal(3, calls[1].Arguments!.Value.GetProperty("y")[1].GetInt32());
        Assert.Equal("{\"x\":\"1+2<3\"}", calls[0].ArgumentsText);             // as written, not \u002B-escaped
    }

    [Theory]
    [InlineData("<tool_call>\n{\"name\": \"calculator\", \"arguments\": {\"expression\": \"1+1\"}\n</tool_call>", "not valid JSON")]
    [InlineData("<tool_call>\n{\"name\": \"calculator\", \"arguments\": {}}", "not closed")]
    [InlineData("<tool_call>[1, 2]</tool_call>", "must be a JSON object")]
    [InlineData("<tool_call>{\"arguments\": {}}</tool_call>", "no string \"name\"")]
    [InlineData("<tool_call>{\"name\": \"calculator\"}</tool_call>", "no \"arguments\" object")]
    [InlineData("<tool_call>{\"name\": \"calculator\", \"arguments\": 7}</tool_call>", "must be a JSON object, got number")]
    public void AMalformedCall_IsKeptWithItsReason(string turn, string reason)
    {
        var call = Assert.Single(ToolCallParser.Parse(turn));
        Assert.False(call.IsWellFormed);
        Assert.Contains(reason, call.Error);
        Assert.Null(call.Arguments);
    }

    [Fact]
    public void AnUnclosedBlockBeforeAnother_IsMalformed_AndTheNextIsStillRead()
    {
        var calls = ToolCallParser.Parse("<tool_call>{\"name\": \"a\"<tool_call>{\"name\": \"b\", \"arguments\": {}}</tool_call>");
        Assert.Equal(2, calls.Count);
        Assert.Contains("not closed", calls[0].Error);
        Assert.Equal("b", calls[1].Name);
        Assert.True(calls[1].IsWellFormed);
    }

    [Fact]
    public void ATurnWithoutBlocks_HasNoCall()
    {
        Assert.Empty(ToolCallParser.Parse("123 * 456 = 56088. \\boxed{56088}"));
        Assert.False(ToolCallParser.HasCall("no call here </tool_call>"));
    }
}
