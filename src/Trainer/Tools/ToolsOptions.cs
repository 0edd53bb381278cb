using System.ComponentModel.DataAnnotations;

namespace RlTrainer.Trainer.Tools;

/// <summary>
/// Multi-turn rollouts with tools (issue 22, docs/algorithms.md#tool-calls): the model may call tools in its
/// completion; each call runs while the batch is sampled and its answer is injected as a tool turn (loss mask 0).
/// Bound from the run config's <c>"Tools"</c> section and checked at start by <c>ToolsOptionsValidator</c>; off by default.
/// </summary>
public sealed class ToolsOptions
{
    public const string Section = "Tools";

    /// <summary>Turns tool calls on. Default false.</summary>
    public bool Enabled { get; set; }

    /// <summary>Tool turns injected per completion at most (verl's max_assistant_turns counts the same rounds): the
    /// assistant turn after the last one ends the completion at its end-of-turn token. Default 4.</summary>
    [Range(1, 64)] public int MaxTurns { get; set; } = 4;

    /// <summary>Tokens of one call's answer at most; a longer answer keeps its first MaxToolTokens tokens and gets
    /// "...(truncated)". Default 256 (verl's max_tool_response_length). The whole transcript, tool turns included,
    /// stays within Rollout:MaxNewTokens.</summary>
    [Range(1, 65_536)] public int MaxToolTokens { get; set; } = 256;

    /// <summary>Time limit of one call, in seconds; a call past it answers "error: ... timed out". Default 10.</summary>
    [Range(0.001, 3_600)] public double CallTimeoutSeconds { get; set; } = 10;

    /// <summary>Transcript format. Default (and only one for now) Hermes, Qwen's.</summary>
    public ToolCallFormat Format { get; set; } = ToolCallFormat.Hermes;

    /// <summary>Lists the tools in the prompt's system turn, as the chat template does with a <c>tools</c> argument
    /// (Qwen's <c># Tools</c> block). Default true. False: plain prompts, for a model fine-tuned to call its tools
    /// without the list (data/models/tiny-math-tools, whose 512 positions the 633-token block would overflow).</summary>
    public bool DescribeTools { get; set; } = true;

    /// <summary>Built-in tools by name: "calculator" (exact arithmetic). Default: none.</summary>
    public List<string> BuiltIn { get; set; } = [];

    /// <summary>MCP servers whose tools are offered too. Default: none.</summary>
    public List<McpServerOptions> Mcp { get; set; } = [];

    /// <summary>Time for one MCP server to start and list its tools, in seconds. Default 60.</summary>
    [Range(1, 3_600)] public double StartTimeoutSeconds { get; set; } = 60;
}
