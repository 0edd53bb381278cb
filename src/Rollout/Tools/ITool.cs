using System.Text.Json;

namespace RlTrainer.Rollout.Tools;

/// <summary>
/// A tool the model may call during a rollout (built-in or an MCP server's). <see cref="CallAsync"/> may run on any
/// thread, concurrently with other calls, and should honour <c>ct</c> (the call's time limit); errors the model
/// caused (bad arguments) are answers with <see cref="ToolAnswer.IsError"/>, not exceptions.
/// </summary>
public interface ITool
{
    ToolDescription Description { get; }

    Task<ToolAnswer> CallAsync(JsonElement arguments, CancellationToken ct);
}
