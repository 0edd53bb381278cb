using System.Text.Json;
using RlTrainer.Rewards.Functions;
using RlTrainer.Rollout.Tools;

namespace RlTrainer.Rollout.Tests.Tools;

public class ToolBoxTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(10);

    private static ParsedToolCall Parsed(string body) => Assert.Single(ToolCallParser.Parse($"<tool_call>{body}</tool_call>"));

    [Fact]
    public async Task MalformedAndUnknownCalls_AnswerShortErrors_WithoutRunning()
    {
        var box = new ToolBox([new CalculatorTool()]);
        var malformed = await box.RunAsync(Parsed("{\"name\": \"calculator\""), 2, Limit, CancellationToken.None);
        Assert.Equal((ToolCallStatus.Malformed, 2, 0.0), (malformed.Status, malformed.Turn, malformed.Seconds));
        Assert.StartsWith("error: malformed tool call: the call is not valid JSON", malformed.Result);
        var unknown = await box.RunAsync(Parsed("{\"name\": \"search\", \"arguments\": {\"q\": \"x\"}}"), 1, Limit, CancellationToken.None);
        Assert.Equal(ToolCallStatus.UnknownTool, unknown.Status);
        Assert.Equal("error: unknown tool \"search\"; available: calculator", unknown.Result);
    }

    [Fact]
    public async Task TheCalculator_AnswersExactly_AndBadArgumentsAreItsErrors()
    {
        var box = new ToolBox([new CalculatorTool()]);
        var ok = await box.RunAsync(Parsed("{\"name\": \"calculator\", \"arguments\": {\"expression\": \"123*456\"}}"), 1, Limit, CancellationToken.None);
        Assert.Equal(("56088", ToolCallStatus.Ok), (ok.Result, ok.Status));
        var bad = await box.RunAsync(Parsed("{\"name\": \"calculator\", \"arguments\": {\"expr\": \"1\"}}"), 1, Limit, CancellationToken.None);
        Assert.Equal(ToolCallStatus.Failed, bad.Status);
        Assert.Equal("error: the calculator needs a string argument \"expression\"", bad.Result);
    }

    [Fact]
    public async Task AToolThatThrowsOrNeverAnswers_BecomesFailedOrTimedOut()
    {
        var box = new ToolBox([new Throwing(), new Silent()]);
        var thrown = await box.RunAsync(Parsed("{\"name\": \"throwing\", \"arguments\": {}}"), 1, Limit, CancellationToken.None);
        Assert.Equal(ToolCallStatus.Failed, thrown.Status);
        Assert.Equal("error: tool \"throwing\" failed: disk on fire", thrown.Result);
        // A tool that ignores its token still ends at the limit.
        var silent = await box.RunAsync(Parsed("{\"name\": \"silent\", \"arguments\": {}}"), 1, TimeSpan.FromMilliseconds(100), CancellationToken.None);
        Assert.Equal(ToolCallStatus.TimedOut, silent.Status);
        Assert.Equal("error: tool \"silent\" timed out after 0.1 s", silent.Result);
    }

    [Fact]
    public void TwoToolsOfOneName_AreRefused() =>
        Assert.Throws<ArgumentException>(() => new ToolBox([new CalculatorTool(), new CalculatorTool()]));

    private static readonly JsonElement NoArguments = JsonDocument.Parse("{\"type\": \"object\"}").RootElement.Clone();

    private sealed class Throwing : ITool
    {
        public ToolDescription Description { get; } = new("throwing", "", NoArguments);
        public Task<ToolAnswer> CallAsync(JsonElement arguments, CancellationToken ct) => throw new IOException("disk on fire");
    }

    private sealed class Silent : ITool
    {
        public ToolDescription Description { get; } = new("silent", "", NoArguments);
        public Task<ToolAnswer> CallAsync(JsonElement arguments, CancellationToken ct) => new TaskCompletionSource<ToolAnswer>().Task;
    }
}
