namespace RlTrainer.Trainer.Tools;

/// <summary>
/// One MCP server whose tools the model may call (<c>Tools:Mcp:i</c>): a process spoken to over stdio
/// (<see cref="Command"/> and <see cref="Arguments"/>), or an HTTP endpoint (<see cref="Url"/>: Streamable HTTP, with
/// SSE as fallback). Its tools are listed when the run starts and described to the model in the system prompt.
/// </summary>
public sealed class McpServerOptions
{
    /// <summary>Name in logs and messages. Required: letters, digits, '_', '-' or '.'.</summary>
    public string Name { get; set; } = "";

    /// <summary>Executable of a stdio server (found on PATH like a shell would), e.g. "dotnet", "npx", "uvx".</summary>
    public string? Command { get; set; }

    /// <summary>Its arguments, one per entry. Default: none.</summary>
    public List<string> Arguments { get; set; } = [];

    /// <summary>Working directory of the process; default: the trainer's.</summary>
    public string? WorkingDirectory { get; set; }

    /// <summary>Absolute http(s) URL of an HTTP server instead of a command.</summary>
    public string? Url { get; set; }

    /// <summary>The server's tools to offer, by name; empty (default) = all it lists.</summary>
    public List<string> Tools { get; set; } = [];
}
