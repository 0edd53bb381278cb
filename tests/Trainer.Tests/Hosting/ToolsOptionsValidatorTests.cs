using Microsoft.Extensions.Options;
using RlTrainer.Rollout.Pruning;
using RlTrainer.Trainer.Hosting;
using RlTrainer.Trainer.Tools;
using RlTrainer.Trainer.Training;

namespace RlTrainer.Trainer.Tests.Hosting;

public sealed class ToolsOptionsValidatorTests
{
    private static List<string> Failures(ToolsOptions tools, bool pruning = false, int k = 0) =>
        new ToolsOptionsValidator(Options.Create(new PruningOptions { Enabled = pruning }),
                Options.Create(new TrainingOptions { OutputDir = "x", MaxStaleness = k }))
            .Validate(null, tools).Failures?.ToList() ?? [];

    private static ToolsOptions Calculator() => new() { Enabled = true, BuiltIn = ["calculator"] };

    [Fact]
    public void ToolsWithPruningOrAsyncRollouts_FailNamingTheKeys()
    {
        var failures = Failures(Calculator(), pruning: true, k: 2);
        Assert.Equal(2, failures.Count);
        Assert.Contains("Pruning:Enabled is true", failures[0]);
        Assert.Contains("Training:MaxStaleness is 2", failures[1]);
    }

    [Fact]
    public void TheToolListAndEachServer_AreChecked()
    {
        Assert.Equal(["Tools:Enabled=true but no tool is offered: list built-ins in Tools:BuiltIn (\"calculator\") or servers in Tools:Mcp."],
            Failures(new ToolsOptions { Enabled = true }));
        Assert.Equal(["Tools:BuiltIn: unknown tool 'search'; built-in tools: calculator."],
            Failures(new ToolsOptions { Enabled = true, BuiltIn = ["search"] }));
        var servers = new ToolsOptions
        {
            Enabled = true,
            Mcp = [new McpServerOptions { Name = "a b", Command = "x" }, new McpServerOptions { Name = "s", Command = "x", Url = "http://h/" },
                   new McpServerOptions { Name = "u", Url = "ftp://h/" }, new McpServerOptions { Name = "u", Command = "y" }],
        };
        Assert.Equal([
            "Tools:Mcp:0:Name = 'a b': give a name of letters, digits, '_', '-' or '.'.",
            "Tools:Mcp:1: give exactly one of Command (a stdio server) or Url (an HTTP server).",
            "Tools:Mcp:2:Url = 'ftp://h/': give an absolute http or https URL.",
            "Tools:Mcp:3:Name = 'u': two servers have this name.",
        ], Failures(servers));
    }

    [Fact]
    public void ToolsOff_OrWithoutPruningAndAsyncRollouts_Pass()
    {
        Assert.Empty(Failures(new ToolsOptions { BuiltIn = ["search"] }, pruning: true, k: 1));
        Assert.Empty(Failures(Calculator()));
        Assert.Empty(Failures(new ToolsOptions { Enabled = true, Mcp = [new McpServerOptions { Name = "web", Url = "https://example.org/mcp" }] }));
    }
}
