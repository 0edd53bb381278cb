using System.CommandLine;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using RlTrainer.Trainer.Cli;
using Spectre.Console;

namespace RlTrainer.Trainer.Tests.Cli;

public class BenchOutputTests
{
    private static (int Exit, string Out) Run(params string[] args)
    {
        var root = new RootCommand { BenchCommand.Create() };
        var output = new StringWriter();
        int exit = root.Parse(args).Invoke(new InvocationConfiguration { Output = output, Error = new StringWriter() });
        return (exit, output.ToString());
    }

    /// Every property name in the tree, recursively (array elements included).
    private static IEnumerable<string> Keys(JsonNode? node) => node switch
    {
        JsonObject o => o.SelectMany(kv => Keys(kv.Value).Prepend(kv.Key)),
        JsonArray a => a.SelectMany(Keys),
        _ => [],
    };

    private static JsonObject SingleJsonObject(string output)
    {
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        var o = JsonNode.Parse(lines[0])!.AsObject();
        Assert.All(Keys(o), k => Assert.Matches("^[a-z][a-z0-9_]*$", k));
        return o;
    }

    [Fact]
    public void Score_Json_IsOneSnakeCaseObject()
    {
        var (exit, output) = Run("bench", "score", "--count", "64", "--json");
        Assert.Equal(0, exit);
        var o = SingleJsonObject(output);
        Assert.Equal(64, o["completions"]!.GetValue<int>());
        Assert.True(o["completions_per_second"]!.GetValue<double>() > 0);
        var component = o["components"]!.AsArray().Single()!;
        Assert.Equal("math_accuracy", component["name"]!.GetValue<string>());
        Assert.Equal(64, component["applicable"]!.GetValue<int>());
    }

    [Fact]
    public void Score_WithoutJson_PrintsTheSummaryLines()
    {
        var (exit, output) = Run("bench", "score", "--count", "16");
        Assert.Equal(0, exit);
        Assert.StartsWith("bench score: 16 completions", output);
        Assert.Contains("math_accuracy (math_accuracy): mean", output);
    }

    [Fact]
    public void Rollout_Json_HasTheCacheOnFigures_AndNullForTheSkippedRun()
    {
        var (exit, output) = Run("bench", "rollout", "--model", RepoPaths.Of("data", "models", "tiny-math"), "--batch", "2",
            "--prompt-len", "4", "--new-tokens", "3", "--cache-only", "--json");
        Assert.Equal(0, exit);
        var o = SingleJsonObject(output);
        Assert.Equal(2, o["batch"]!.GetValue<int>());
        Assert.True(o["kv_cache_on"]!["tokens_per_second"]!.GetValue<double>() > 0);
        Assert.Null(o["kv_cache_off"]);
        Assert.Null(o["speed_up"]);
    }

    [Theory]
    [InlineData(8)]
    [InlineData(3)] // fewer rows than the usual group of 8
    public void Memory_TakesTheSharedJsonOption(int micro)
    {
        var (exit, output) = Run("bench", "memory", "--model", RepoPaths.Of("data", "models", "tiny-math"), "--micro-batch", $"{micro}",
            "--prompt-len", "4", "--completion-len", "4", "--json");
        Assert.Equal(0, exit);
        var o = SingleJsonObject(output);
        Assert.Equal(micro, o["micro_batch"]!.GetValue<int>());
        Assert.True(o["peak_rss_mib"]!.GetValue<long>() > 0);
    }

    [Theory]
    [InlineData(64, 8)]
    [InlineData(12, 6)]
    [InlineData(4, 4)]
    [InlineData(11, 1)]
    public void SyntheticBatch_GroupSize_DividesTheRows(int rows, int group) =>
        Assert.Equal(group, BenchTrainCommand.GroupSizeFor(rows));

    [Fact]
    public void RedirectedTable_IsNotCutAt80Columns()
    {
        static Table Wide()
        {
            var headers = Enumerable.Range(0, 10).Select(i => $"column number {i}").ToArray();
            return new Table().AddColumns(headers).AddRow(headers.Select(h => h.ToUpperInvariant()).ToArray());
        }
        var redirected = new StringWriter();
        BenchOutput.CreateConsole(redirected, redirected: true).Write(Wide());
        var lines = redirected.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(5, lines.Length); // top, header, rule, row, bottom: no cell wrapped onto a second line
        Assert.All(lines, l => Assert.True(l.TrimEnd().Length > 150, l));

        // What Spectre does by itself when output is redirected: 80 columns, cells wrapped.
        var plain = new StringWriter();
        AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(plain) }).Write(Wide());
        Assert.All(plain.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries), l => Assert.True(l.TrimEnd().Length <= 80, l));
    }
}
