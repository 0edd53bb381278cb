using RlTrainer.Trainer.Tools;

namespace RlTrainer.Trainer.Tests.Tools;

/// The tiny stdio MCP server of tests/McpTestServer (tools add, repeat, sleep, fail), as a Tools:Mcp entry.
internal static class McpTestServer
{
    /// Its dll, built in the same configuration and framework as this test assembly.
    public static string Dll
    {
        get
        {
            var here = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
            return RepoPaths.Of("tests", "McpTestServer", "bin", here.Parent!.Name, here.Name, "RlTrainer.McpTestServer.dll");
        }
    }

    public static McpServerOptions Options(params string[] tools) => new()
    {
        Name = "test", Command = "dotnet", Arguments = [Dll], Tools = tools.ToList(),
    };
}
