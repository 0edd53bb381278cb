using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using RlTrainer.McpTestServer;
using RlTrainer.Rewards.Functions;
using RlTrainer.Rollout.Tools;
using RlTrainer.Trainer.Errors;
using RlTrainer.Trainer.Tools;

namespace RlTrainer.Trainer.Tests.Tools;

public class ToolSessionTests
{
    private static ToolSession Start(ToolsOptions options) => ToolSession.Start(options, NullLogger.Instance, CancellationToken.None)!;

    private static ParsedToolCall Parsed(string name, string arguments) =>
        Assert.Single(ToolCallParser.Parse($"<tool_call>{{\"name\": \"{name}\", \"arguments\": {arguments}}}</tool_call>"));

    [Fact]
    public async Task TheStdioServersTools_AreListedDescribedAndCalled()
    {
        using var session = Start(new ToolsOptions { Enabled = true, BuiltIn = ["calculator"], Mcp = [McpTestServer.Options()] });
        var names = session.Box.Tools.Select(t => t.Description.Name).ToArray();
        Assert.Equal("calculator", names[0]);                                   // built-ins first, then each server's
        Assert.Equal(["add", "fail", "repeat", "sleep"], names[1..].Order());
        // The server's schema reaches the system prompt as the template's tools entry.
        var add = session.TemplateTools.Single(t => t.GetProperty("function").GetProperty("name").GetString() == "add");
        Assert.Equal("Adds two integers.", add.GetProperty("function").GetProperty("description").GetString());
        Assert.Equal("integer", add.GetProperty("function").GetProperty("parameters").GetProperty("properties").GetProperty("a").GetProperty("type").GetString());

        var limit = TimeSpan.FromSeconds(20);
        var sum = await session.Box.RunAsync(Parsed("add", "{\"a\": 123456789012, \"b\": 5}"), 1, limit, CancellationToken.None);
        Assert.Equal(("123456789017", ToolCallStatus.Ok), (sum.Result, sum.Status));
        var slow = await session.Box.RunAsync(Parsed("sleep", "{\"milliseconds\": 20000}"), 1, TimeSpan.FromMilliseconds(300), CancellationToken.None);
        Assert.Equal(ToolCallStatus.TimedOut, slow.Status);
        var failed = await session.Box.RunAsync(Parsed("fail", "{}"), 1, limit, CancellationToken.None);
        Assert.Equal(ToolCallStatus.Failed, failed.Status);
        Assert.StartsWith("error: ", failed.Result);
        // The server is still there after a timed-out call.
        var again = await session.Box.RunAsync(Parsed("add", "{\"a\": 1, \"b\": 2}"), 2, limit, CancellationToken.None);
        Assert.Equal("3", again.Result);
    }

    [Fact]
    public async Task AnHttpServersTools_AreListedAndCalled()
    {
        // The same tools over Streamable HTTP, served in this process on a free loopback port.
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddMcpServer().WithHttpTransport().WithTools<TestTools>();
        await using var app = builder.Build();
        app.MapMcp("/mcp");
        await app.StartAsync();
        var url = new Uri(new Uri(app.Urls.First()), "/mcp").ToString();
        using var session = Start(new ToolsOptions { Enabled = true, Mcp = [new McpServerOptions { Name = "web", Url = url, Tools = ["add", "repeat"] }] });
        Assert.Equal(["add", "repeat"], session.Box.Tools.Select(t => t.Description.Name).Order());
        var sum = await session.Box.RunAsync(Parsed("add", "{\"a\": -4, \"b\": 10}"), 1, TimeSpan.FromSeconds(20), CancellationToken.None);
        Assert.Equal(("6", ToolCallStatus.Ok), (sum.Result, sum.Status));
        await app.StopAsync();
    }

    [Fact]
    public void AnAllowList_KeepsOnlyTheNamedTools_AndNamesOnesTheServerLacks()
    {
        using (var session = Start(new ToolsOptions { Enabled = true, Mcp = [McpTestServer.Options("add")] }))
            Assert.Equal(["add"], session.Box.Tools.Select(t => t.Description.Name));
        var e = Assert.Throws<BadInputException>(() => Start(new ToolsOptions { Enabled = true, Mcp = [McpTestServer.Options("add", "mul")] }));
        Assert.Contains("Tools:Mcp:0:Tools names \"mul\", which server 'test' does not list", e.Message);
    }

    [Fact]
    public void AServerThatDoesNotStart_IsARunFailureNamingItsKey()
    {
        var options = new ToolsOptions
        {
            Enabled = true, StartTimeoutSeconds = 20,
            Mcp = [new McpServerOptions { Name = "gone", Command = "dotnet", Arguments = [Path.Combine(Path.GetTempPath(), "no-such-server.dll")] }],
        };
        var e = Assert.Throws<RunFailedException>(() => Start(options));
        Assert.StartsWith("Tools:Mcp:0: MCP server 'gone' (command 'dotnet ", e.Message);
    }

    [Fact]
    public void Disabled_StartsNothing() => Assert.Null(ToolSession.Start(new ToolsOptions(), NullLogger.Instance, CancellationToken.None));
}
