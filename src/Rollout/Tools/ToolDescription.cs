using System.Text.Json;
using System.Text.Json.Nodes;

namespace RlTrainer.Rollout.Tools;

/// <summary>A tool as the model is told about it: name, description and the JSON schema of its arguments.</summary>
/// <param name="Parameters">JSON schema of the "arguments" object (MCP's inputSchema).</param>
public sealed record ToolDescription(string Name, string Description, JsonElement Parameters)
{
    /// <summary>The template's <c>tools</c> entry, OpenAI style: <c>{"type": "function", "function": {"name",
    /// "description", "parameters"}}</c>, keys in that order (the order Qwen's template prints).</summary>
    public JsonElement ToTemplateTool()
    {
        var function = new JsonObject
        {
            ["name"] = Name,
            ["description"] = Description,
            ["parameters"] = JsonNode.Parse(Parameters.GetRawText()),
        };
        var tool = new JsonObject { ["type"] = "function", ["function"] = function };
        return JsonSerializer.SerializeToElement(tool);
    }
}
