namespace RlTrainer.Rewards.Functions;

/// <summary>How one tool call of a multi-turn rollout ended (docs/algorithms.md#tool-calls).</summary>
public enum ToolCallStatus
{
    /// <summary>The tool ran and returned a result (possibly cut to Tools:MaxToolTokens, see <see cref="ToolCallRecord.Truncated"/>).</summary>
    Ok,
    /// <summary>The <c>&lt;tool_call&gt;</c> block was not closed, or its body was not a JSON object with a string
    /// "name" and an object "arguments".</summary>
    Malformed,
    /// <summary>The call named a tool that is not configured.</summary>
    UnknownTool,
    /// <summary>The tool did not answer within Tools:CallTimeoutSeconds.</summary>
    TimedOut,
    /// <summary>The tool answered with an error (an MCP error result, a failed connection, bad arguments).</summary>
    Failed,
}

public static class ToolCallStatusNames
{
    /// <summary>snake_case name used in the rollout log and metric keys ("unknown_tool").</summary>
    public static string ToSnakeCase(this ToolCallStatus s) => s switch
    {
        ToolCallStatus.Ok => "ok",
        ToolCallStatus.Malformed => "malformed",
        ToolCallStatus.UnknownTool => "unknown_tool",
        ToolCallStatus.TimedOut => "timed_out",
        ToolCallStatus.Failed => "failed",
        _ => throw new ArgumentOutOfRangeException(nameof(s), s, null),
    };
}
