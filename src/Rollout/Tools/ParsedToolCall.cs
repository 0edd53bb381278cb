using System.Text.Json;

namespace RlTrainer.Rollout.Tools;

/// <summary>One <c>&lt;tool_call&gt;</c> block of an assistant turn, as <see cref="ToolCallParser"/> read it.</summary>
/// <param name="Name">The tool named by the call; "" when the block did not parse that far.</param>
/// <param name="Arguments">The "arguments" object (a clone that outlives the parsed document); null when <paramref name="Error"/> is set.</param>
/// <param name="ArgumentsText">The arguments as compact JSON, or the block's raw body for a malformed call (for the log).</param>
/// <param name="Error">Why the block is not a call ("the &lt;tool_call&gt; block is not closed"); null for a well-formed call.</param>
public sealed record ParsedToolCall(string Name, JsonElement? Arguments, string ArgumentsText, string? Error)
{
    public bool IsWellFormed => Error is null;
}
