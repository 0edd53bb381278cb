using System.Text;
using System.Text.Json;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using RlTrainer.Rollout.Tools;

namespace RlTrainer.Trainer.Tools;

/// <summary>
/// One tool of an MCP server, called through the SDK's client (tools/call). The answer is the text content of the
/// result, blocks joined by a newline; other content kinds are named, not inlined; a result marked isError is an error
/// answer. Protocol failures throw and become "error: tool ... failed" in <see cref="ToolBox"/>.
/// </summary>
public sealed class McpTool(McpClient client, McpClientTool tool) : ITool
{
    public ToolDescription Description { get; } = new(tool.Name, tool.Description ?? "", tool.ProtocolTool.InputSchema);

    public async Task<ToolAnswer> CallAsync(JsonElement arguments, CancellationToken ct)
    {
        var args = arguments.EnumerateObject().ToDictionary(p => p.Name, p => (object?)p.Value.Clone());
        var result = await client.CallToolAsync(tool.Name, args, cancellationToken: ct).ConfigureAwait(false);
        var text = TextOf(result);
        if (result.IsError == true)
            return new ToolAnswer(text.StartsWith("error: ", StringComparison.Ordinal) ? text : "error: " + text, true);
        return new ToolAnswer(text, false);
    }

    private static string TextOf(CallToolResult result)
    {
        var text = new StringBuilder();
        foreach (var block in result.Content)
        {
            if (text.Length > 0) text.Append('\n');
            text.Append(block is TextContentBlock t ? t.Text : $"[{block.Type} content]");
        }
        if (text.Length == 0 && result.StructuredContent is { } structured) text.Append(structured.GetRawText());
        return text.ToString();
    }
}
