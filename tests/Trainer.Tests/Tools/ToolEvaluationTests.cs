using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using RlTrainer.Rewards.Functions;
using RlTrainer.Rollout.Model;
using RlTrainer.Rollout.Tests.Tools;
using RlTrainer.Rollout.Tokenization;
using RlTrainer.Trainer.Data;
using RlTrainer.Trainer.Evaluation;
using RlTrainer.Trainer.Tests.Cli;
using RlTrainer.Trainer.Tests.Training;
using RlTrainer.Trainer.Tools;

namespace RlTrainer.Trainer.Tests.Tools;

/// <summary>
/// Held-out evaluation with tools: the loop's Eval and `rltrainer eval --tools`, on a model whose every turn is one
/// calculator call (125268/26, whose value 4818 is the gold answer below) and whose next turn calls again. With tools,
/// the call is answered (4818 injected) and the next turn's call is not run (MaxTurns 1); without tools the call ends
/// the completion unanswered. Neither way does the model state an answer of its own, so every verdict is wrong: the
/// call's expression and the tool's response do not count.
/// </summary>
public sealed class ToolEvaluationTests : IDisposable
{
    private const string Call = "<tool_call>\n{\"name\": \"calculator\", \"arguments\": {\"expression\": \"125268/26\"}}\n</tool_call>";
    private const string Response = "\nuser\n<tool_response>\n4818\n</tool_response>\nassistant\n";

    private readonly TinyRun _run = ToolCallingRun.Create(Call);

    public void Dispose() => _run.Dispose();

    // Plain prompts: the tool block would not change what this model writes, and it is long for its positions.
    private static ToolsOptions Calculator() => new() { Enabled = true, BuiltIn = ["calculator"], MaxTurns = 1, DescribeTools = false };

    private static readonly RlExample[] Problems =
    [
        new([new ChatMessage("user", "What is 125268 / 26?")], "4818", "arith"),
        new([new ChatMessage("user", "What is 4818 * 26?")], "125268", "arith"),
    ];

    private EvalReport Evaluate(ToolSession? tools, List<EvalRecord> records)
    {
        var encoder = new PromptEncoder(HfTokenizer.Load(_run.ModelDir));
        using var model = HfModelFolder.Load(_run.ModelDir, ComputeDevice.Cpu, encoder.Tokenizer);
        var evaluator = new Evaluator(model, encoder, new MathAnswerJudge(),
            new EvalOptions { K = 2, MaxNewTokens = 160, BatchSize = 2, Temperature = 1.0 }, tools);
        return evaluator.Run("tools", "arith", Problems, records: records);
    }

    [Fact]
    public void Evaluator_WithTools_AnswersTheCalls_AndCountsThem()
    {
        using var session = ToolSession.Start(Calculator(), NullLogger.Instance, CancellationToken.None)!;
        var records = new List<EvalRecord>();

        var report = Evaluate(session, records);

        Assert.Equal(["calculator"], report.Tools!);
        Assert.Equal(1.0, report.Overall.ToolCallsPerCompletion);    // one tool turn (MaxTurns 1); the second call is not run
        Assert.Equal(1.0, report.Overall.CompletionsWithCalls);
        Assert.Equal(1.0, report.BySource["arith"].ToolCallsPerCompletion);
        Assert.Equal(0.0, report.Overall.GreedyPass1);               // the 4818 of the response is not the model's answer
        foreach (var r in records)
        {
            Assert.Equal(Call + Response + Call, r.Greedy);
            var call = Assert.Single(r.GreedyToolCalls!);
            Assert.Equal(("calculator", "4818", ToolCallStatus.Ok, 1), (call.Name, call.Result, call.Status, call.Turn));
            Assert.False(r.GreedyCorrect);
            Assert.Null(r.GreedyAnswer);
            Assert.All(r.Samples, s => Assert.Equal("4818", Assert.Single(s.ToolCalls!).Result));
        }
    }

    [Fact]
    public void Evaluator_WithoutTools_LeavesTheCallUnanswered_AndItIsNoAnswer()
    {
        var records = new List<EvalRecord>();

        var report = Evaluate(null, records);

        Assert.Null(report.Tools);
        Assert.Null(report.Overall.ToolCallsPerCompletion);
        Assert.Null(report.Overall.CompletionsWithCalls);
        Assert.Equal(0.0, report.Overall.GreedyPass1);               // "125268/26" equals 4818, but it is a call
        Assert.All(records, r => Assert.Equal((Call, (IReadOnlyList<ToolCallRecord>?)null), (r.Greedy, r.GreedyToolCalls)));
        var line = new JsonObject();
        EvalSet.AddToolFigures(line, "eval", report.Overall);
        Assert.Empty(line);
    }

    [Fact]
    public void TrainingEval_WithTools_WritesTheToolKeys()
    {
        var config = JsonNode.Parse(File.ReadAllText(_run.ConfigPath))!.AsObject();
        config["Rollout"] = new JsonObject { ["PromptsPerStep"] = 1, ["GroupSize"] = 2, ["MaxNewTokens"] = 160, ["BatchSize"] = 2 };
        config["Tools"] = new JsonObject
        {
            ["Enabled"] = true, ["BuiltIn"] = new JsonArray("calculator"), ["MaxTurns"] = 1, ["DescribeTools"] = false,
        };
        config["Eval"] = new JsonObject { ["Enabled"] = true, ["MaxNewTokens"] = 160, ["BatchSize"] = 16 };
        File.WriteAllText(_run.ConfigPath, config.ToJsonString());

        Assert.Equal(0, _run.Train());

        var evals = _run.MetricsLines("eval");
        Assert.Equal(2, evals.Count);                                 // before the first step and after the last
        foreach (var e in evals)
        {
            Assert.Equal(1.0, e["eval/tools/calls_per_completion"]!.GetValue<double>());
            Assert.Equal(1.0, e["eval/tools/completions_with_calls"]!.GetValue<double>());
            Assert.Equal(0.0, e["eval/accuracy"]!.GetValue<double>());
            // and per data source, next to eval/<source>/accuracy
            var sources = e.Select(kv => kv.Key).Where(k => k.EndsWith("/accuracy", StringComparison.Ordinal) && k.Count(c => c == '/') == 2
                && k != "eval/held-out/accuracy").Select(k => k.Split('/')[1]).ToList();
            Assert.NotEmpty(sources);
            Assert.All(sources, source => Assert.Equal(1.0, e[$"eval/{source}/tools/calls_per_completion"]!.GetValue<double>()));
        }
    }

    [Fact]
    public void EvalCommand_WithTools_ReportsTheCalls()
    {
        var toolsFile = Path.Combine(_run.Dir, "tools.json");
        File.WriteAllText(toolsFile, """
            // comments are allowed, as in run configs
            { "Tools": { "Enabled": true, "BuiltIn": [ "calculator" ], "MaxTurns": 1, "DescribeTools": false } }
            """);
        var (json, samples) = (Path.Combine(_run.Dir, "eval.json"), Path.Combine(_run.Dir, "samples.jsonl"));

        var (code, stdout, stderr) = InProcessCli.Run("eval", "--model", _run.ModelDir, "--data", RepoPaths.Of("data", "arith", "test.parquet"),
            "--limit", "3", "--max-new-tokens", "160", "--tools", toolsFile, "--out", json, "--samples-out", samples);

        Assert.True(code == 0, stderr);
        Assert.Contains("| tool calls per completion (greedy) | 1.00 |", stdout);
        Assert.Contains("| completions with tool calls % (greedy) | 100.0 |", stdout);
        var report = JsonNode.Parse(File.ReadAllText(json))!.AsArray().Single()!.AsObject();
        Assert.Equal("calculator", report["tools"]!.AsArray().Single()!.GetValue<string>());
        Assert.Equal(1.0, report["overall"]!["tool_calls_per_completion"]!.GetValue<double>());
        Assert.Equal(1.0, report["overall"]!["completions_with_calls"]!.GetValue<double>());
        var lines = File.ReadAllLines(samples).Select(l => JsonNode.Parse(l)!.AsObject()).ToList();
        Assert.Equal(3, lines.Count);
        Assert.All(lines, l => Assert.Equal(("4818", "ok"), (l["greedy_tool_calls"]![0]!["result"]!.GetValue<string>(),
            l["greedy_tool_calls"]![0]!["status"]!.GetValue<string>())));

        // Without --tools: no tool figures anywhere, and the sample lines have no tool-call fields.
        (code, stdout, stderr) = InProcessCli.Run("eval", "--model", _run.ModelDir, "--data", RepoPaths.Of("data", "arith", "test.parquet"),
            "--limit", "3", "--max-new-tokens", "160", "--out", json, "--samples-out", samples);
        Assert.True(code == 0, stderr);
        Assert.DoesNotContain("tool calls", stdout);
        var plain = JsonNode.Parse(File.ReadAllText(json))!.AsArray().Single()!.AsObject();
        Assert.False(plain.ContainsKey("tools"));
        Assert.Equal(["problems", "greedy_pass1", "avg_at_k", "maj_at_k", "pass_at_k", "format_rate", "mean_completion_tokens", "truncation_rate"],
            plain["overall"]!.AsObject().Select(kv => kv.Key));
        Assert.All(File.ReadAllLines(samples), l => Assert.False(JsonNode.Parse(l)!.AsObject().ContainsKey("greedy_tool_calls")));
    }

    [Theory]
    [InlineData("""{ "Rollout": { "GroupSize": 4 } }""", "has no \"Tools\" section")]
    [InlineData("""{ "Tools": { "Enabled": false, "BuiltIn": [ "calculator" ] } }""", "Tools:Enabled is false")]
    [InlineData("""{ "Tools": { "Enabled": true, "BuiltIns": [ "calculator" ] } }""", "Tools:BuiltIns")]
    [InlineData("""{ "Tools": { "Enabled": true, "BuiltIn": [ "abacus" ] } }""", "unknown tool 'abacus'")]
    [InlineData("""{ "Tools": { "Enabled": true, "BuiltIn": [ "calculator" ], "MaxTurns": 0 } }""", "MaxTurns")]
    [InlineData("""{ "Tools": { "Enabled": true, """, "invalid JSON")]
    public void EvalCommand_BadToolsFile_OneMessage_Exit2(string content, string fragment)
    {
        var file = Path.Combine(_run.Dir, "bad-tools.json");
        File.WriteAllText(file, content);
        var result = InProcessCli.Run("eval", "--model", _run.ModelDir, "--data", RepoPaths.Of("data", "arith", "test.parquet"), "--tools", file);
        InProcessCli.AssertError(result, 2, fragment, file);
    }

    [Fact]
    public void EvalCommand_MissingToolsFile_Exit2()
    {
        var missing = Path.Combine(_run.Dir, "none.json");
        var result = InProcessCli.Run("eval", "--model", _run.ModelDir, "--data", RepoPaths.Of("data", "arith", "test.parquet"), "--tools", missing);
        InProcessCli.AssertError(result, 2, $"--tools {missing}: file not found.");
    }
}
