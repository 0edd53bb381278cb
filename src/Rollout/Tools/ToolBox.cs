using System.Diagnostics;
using RlTrainer.Rewards.Functions;

namespace RlTrainer.Rollout.Tools;

/// <summary>
/// The tools of a run by name, and the one way a call runs: under its time limit, with every failure (malformed
/// call, unknown tool, timeout, exception) turned into a short error text for the model and a status for the log.
/// </summary>
public sealed class ToolBox
{
    private readonly Dictionary<string, ITool> _tools = new(StringComparer.Ordinal);

    /// <exception cref="ArgumentException">when two tools share a name.</exception>
    public ToolBox(IEnumerable<ITool> tools)
    {
        foreach (var tool in tools)
            if (!_tools.TryAdd(tool.Description.Name, tool))
                throw new ArgumentException($"two tools are named \"{tool.Description.Name}\"", nameof(tools));
        Tools = _tools.Values.ToList();
    }

    /// <summary>The tools in the order given (the order the system prompt lists them).</summary>
    public IReadOnlyList<ITool> Tools { get; }

    /// <summary>Runs one parsed call. Never throws but for <paramref name="ct"/> itself being cancelled.</summary>
    /// <param name="timeout">The call's time limit (Tools:CallTimeoutSeconds).</param>
    public async Task<ToolCallRecord> RunAsync(ParsedToolCall call, int turn, TimeSpan timeout, CancellationToken ct)
    {
        if (!call.IsWellFormed)
            return Record(call, turn, $"error: malformed tool call: {call.Error}", ToolCallStatus.Malformed, 0);
        if (!_tools.TryGetValue(call.Name, out var tool))
            return Record(call, turn, $"error: unknown tool \"{call.Name}\"; available: {string.Join(", ", _tools.Keys)}",
                ToolCallStatus.UnknownTool, 0);
        var clock = Stopwatch.StartNew();
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(timeout);
        try
        {
            // WaitAsync: the limit holds even for a tool that ignores its token.
            var answer = await tool.CallAsync(call.Arguments!.Value, limit.Token).WaitAsync(timeout, ct).ConfigureAwait(false);
            return Record(call, turn, answer.Text, answer.IsError ? ToolCallStatus.Failed : ToolCallStatus.Ok, clock.Elapsed.TotalSeconds);
        }
        catch (Exception e) when (!ct.IsCancellationRequested && (e is TimeoutException || e is OperationCanceledException))
        {
            return Record(call, turn, $"error: tool \"{call.Name}\" timed out after {timeout.TotalSeconds:0.###} s",
                ToolCallStatus.TimedOut, clock.Elapsed.TotalSeconds);
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            return Record(call, turn, $"error: tool \"{call.Name}\" failed: {OneLine(e.Message)}", ToolCallStatus.Failed,
                clock.Elapsed.TotalSeconds);
        }
    }

    private static ToolCallRecord Record(ParsedToolCall call, int turn, string result, ToolCallStatus status, double seconds) =>
        new(turn, call.Name, call.ArgumentsText, result, status, seconds);

    private static string OneLine(string message)
    {
        var line = message.ReplaceLineEndings(" ");
        return line.Length > 200 ? line[..197] + "..." : line;
    }
}
