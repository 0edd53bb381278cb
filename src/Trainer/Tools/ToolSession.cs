using System.Text.Json;
using Microsoft.Extensions.Logging;
using ModelContextProtocol.Client;
using RlTrainer.Rollout.Tools;
using RlTrainer.Trainer.Errors;

namespace RlTrainer.Trainer.Tools;

/// <summary>
/// The tools of one run, from <see cref="ToolsOptions"/>: the built-ins and the tools MCP servers list at start, the
/// connections to those servers (closed on dispose: stdio servers are stopped), and the limits of a call.
/// </summary>
public sealed class ToolSession : IDisposable
{
    /// <summary>Names <see cref="ToolsOptions.BuiltIn"/> may list.</summary>
    public static readonly IReadOnlyList<string> BuiltInNames = [CalculatorTool.ToolName];

    private readonly List<McpClient> _clients;

    private ToolSession(ToolBox box, ToolCallLimits limits, List<McpClient> clients, bool describe)
    {
        (Box, Limits, _clients) = (box, limits, clients);
        TemplateTools = box.Tools.Select(t => t.Description.ToTemplateTool()).ToArray();
        PromptTools = describe ? TemplateTools : null;
    }

    public ToolBox Box { get; }

    public ToolCallLimits Limits { get; }

    /// <summary>The chat template's <c>tools</c> list, in the configured order (built-ins, then each server's).</summary>
    public IReadOnlyList<JsonElement> TemplateTools { get; }

    /// <summary>What prompts are rendered with: <see cref="TemplateTools"/>, or null when Tools:DescribeTools is false.</summary>
    public IReadOnlyList<JsonElement>? PromptTools { get; }

    /// <summary>Starts the MCP servers and lists their tools; null when <see cref="ToolsOptions.Enabled"/> is false.</summary>
    /// <exception cref="RunFailedException">when a server does not start or list its tools in time.</exception>
    /// <exception cref="BadInputException">when a listed tool is missing or two tools share a name.</exception>
    public static ToolSession? Start(ToolsOptions options, ILogger logger, CancellationToken ct)
    {
        if (!options.Enabled) return null;
        var tools = new List<ITool>();
        foreach (var name in options.BuiltIn)
            tools.Add(name == CalculatorTool.ToolName ? new CalculatorTool()
                : throw new BadInputException($"{ToolsOptions.Section}:BuiltIn: unknown tool \"{name}\"; built-in tools: {string.Join(", ", BuiltInNames)}"));
        var clients = new List<McpClient>();
        var owner = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var t in tools) owner[t.Description.Name] = "built-in";
        try
        {
            for (int i = 0; i < options.Mcp.Count; i++)
            {
                var server = options.Mcp[i];
                var key = $"{ToolsOptions.Section}:Mcp:{i}";
                var client = Connect(server, key, TimeSpan.FromSeconds(options.StartTimeoutSeconds), logger, ct);
                clients.Add(client);
                var listed = ListTools(client, server, key, TimeSpan.FromSeconds(options.StartTimeoutSeconds), ct);
                var missing = server.Tools.Except(listed.Select(t => t.Name)).ToList();
                if (missing.Count > 0)
                    throw new BadInputException($"{key}:Tools names {string.Join(", ", missing.Select(m => $"\"{m}\""))}, which server " +
                        $"'{server.Name}' does not list; it lists: {string.Join(", ", listed.Select(t => t.Name))}");
                foreach (var tool in listed.Where(t => server.Tools.Count == 0 || server.Tools.Contains(t.Name)))
                {
                    if (owner.TryGetValue(tool.Name, out var other))
                        throw new BadInputException($"{key}: server '{server.Name}' lists a tool \"{tool.Name}\", a name {other} already has; " +
                            $"keep one with {key}:Tools.");
                    owner[tool.Name] = $"server '{server.Name}'";
                    tools.Add(new McpTool(client, tool));
                }
                logger.LogInformation("MCP server {Server}: {Count} tool(s) {Tools}", server.Name, listed.Count, string.Join(", ", listed.Select(t => t.Name)));
            }
            if (tools.Count == 0)
                throw new BadInputException($"{ToolsOptions.Section}:Enabled is true but no tool is offered: list built-ins in " +
                    $"{ToolsOptions.Section}:BuiltIn or servers in {ToolsOptions.Section}:Mcp.");
            var limits = new ToolCallLimits(options.MaxTurns, options.MaxToolTokens, TimeSpan.FromSeconds(options.CallTimeoutSeconds));
            logger.LogInformation("Tools: {Tools} (at most {Turns} tool turns per completion)", string.Join(", ", owner.Keys), options.MaxTurns);
            return new ToolSession(new ToolBox(tools), limits, clients, options.DescribeTools);
        }
        catch
        {
            foreach (var c in clients) Close(c);
            throw;
        }
    }

    private static McpClient Connect(McpServerOptions server, string key, TimeSpan timeout, ILogger logger, CancellationToken ct)
    {
        IClientTransport transport = server.Url is { Length: > 0 } url
            ? new HttpClientTransport(new HttpClientTransportOptions { Endpoint = new Uri(url), Name = server.Name })
            : new StdioClientTransport(new StdioClientTransportOptions
            {
                Name = server.Name,
                Command = server.Command!,
                Arguments = server.Arguments.ToArray(),
                WorkingDirectory = server.WorkingDirectory,
                StandardErrorLines = line => logger.LogDebug("MCP server {Server} stderr: {Line}", server.Name, line),
            });
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(timeout);
        try
        {
            return McpClient.CreateAsync(transport, cancellationToken: limit.Token).GetAwaiter().GetResult();
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            var what = server.Url is { Length: > 0 } u ? $"URL {u}" : $"command '{server.Command} {string.Join(' ', server.Arguments)}'";
            var why = limit.IsCancellationRequested ? $"no answer within {timeout.TotalSeconds:0.#} s" : e.Message;
            throw new RunFailedException($"{key}: MCP server '{server.Name}' ({what}) did not start: {why}", e);
        }
    }

    private static IList<McpClientTool> ListTools(McpClient client, McpServerOptions server, string key, TimeSpan timeout, CancellationToken ct)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(timeout);
        try { return client.ListToolsAsync(cancellationToken: limit.Token).AsTask().GetAwaiter().GetResult(); }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            throw new RunFailedException($"{key}: MCP server '{server.Name}' did not list its tools: {e.Message}", e);
        }
    }

    private static void Close(McpClient client)
    {
        try { client.DisposeAsync().AsTask().GetAwaiter().GetResult(); }
        catch (Exception) { /* the server is gone either way */ }
    }

    public void Dispose()
    {
        foreach (var c in _clients) Close(c);
        _clients.Clear();
    }
}
