using System.ComponentModel;
using ModelContextProtocol.Server;

namespace RlTrainer.McpTestServer;

/// <summary>The tools the tests call: exact integer sums, a long answer, a slow one and an error.</summary>
[McpServerToolType]
public sealed class TestTools
{
    [McpServerTool(Name = "add"), Description("Adds two integers.")]
    public static string Add([Description("First addend")] long a, [Description("Second addend")] long b) =>
        (a + b).ToString(System.Globalization.CultureInfo.InvariantCulture);

    [McpServerTool(Name = "repeat"), Description("Repeats a word n times, separated by spaces.")]
    public static string Repeat(string word, int n) => string.Join(' ', Enumerable.Repeat(word, n));

    [McpServerTool(Name = "sleep"), Description("Waits the given number of milliseconds, then answers done.")]
    public static async Task<string> Sleep(int milliseconds, CancellationToken ct)
    {
        await Task.Delay(milliseconds, ct);
        return "done";
    }

    [McpServerTool(Name = "fail"), Description("Always fails.")]
    public static string Fail() => throw new InvalidOperationException("this tool always fails");
}
