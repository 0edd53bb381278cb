using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using RlTrainer.Rollout.Model;
using RlTrainer.Rollout.Tokenization;
using RlTrainer.Trainer.Contracts;
using RlTrainer.Trainer.Data;
using RlTrainer.Trainer.Errors;
using RlTrainer.Trainer.Evaluation;
using RlTrainer.Trainer.Hosting;
using RlTrainer.Trainer.Reporting;
using RlTrainer.Trainer.Tools;
using Spectre.Console;

namespace RlTrainer.Trainer.Cli;

/// <summary>
/// `rltrainer eval`: greedy pass@1 and, with --k, unbiased pass@k, maj@k and avg@k on a verifiable data set, overall
/// and per data source. A Markdown table on standard output (models side by side), JSON with --out, progress on stderr.
/// With --tools FILE the completions may call the tools of the file's Tools section, as in training; the table, the
/// JSON and the samples gain the calls.
/// </summary>
internal static class EvalCommand
{
    public static Command Create()
    {
        var models = new Option<string[]>("--model") { Description = "Model folder(s); several give a side-by-side table.", Required = true, AllowMultipleArgumentsPerToken = true };
        var data = new Option<string[]>("--data") { Description = "Parquet file(s) or globs (verl, GSM8K or MATH shape).", Required = true, AllowMultipleArgumentsPerToken = true };
        var k = new Option<int>("--k") { Description = "Samples per problem for pass@k / maj@k / avg@k (1 = greedy only).", DefaultValueFactory = _ => 1 };
        var temperature = new Option<double>("--temperature") { Description = "Temperature of the k samples.", DefaultValueFactory = _ => 1.0 };
        var topP = new Option<double>("--top-p") { Description = "Nucleus mass of the k samples.", DefaultValueFactory = _ => 1.0 };
        var limit = new Option<int>("--limit") { Description = "First N problems only (0 = all).", DefaultValueFactory = _ => 0 };
        var maxNew = new Option<int>("--max-new-tokens") { Description = "Tokens per completion at most.", DefaultValueFactory = _ => 256 };
        var batch = new Option<int>("--batch-size") { Description = "Completions decoded together.", DefaultValueFactory = _ => 64 };
        var output = new Option<string?>("--out") { Description = "Write the full results as JSON to this file." };
        var samplesOut = new Option<string?>("--samples-out") { Description = "Write one JSON line per problem (greedy completion, correctness, correct samples) to this file; with several models, one file each, suffixed by the model's folder name." };
        var adapters = new Option<string[]>("--adapter")
        {
            Description = "LoRA adapter folder(s) in PEFT's layout on top of the one --model; several give a side-by-side table (checkpoints of a LoRA run).",
            AllowMultipleArgumentsPerToken = true,
        };
        var toolsFile = new Option<string?>("--tools")
        {
            Description = "JSON file with a Tools section (a run config such as configs/tools.quickstart.json): decode with those tools, " +
                          "calls answered as in training; --max-new-tokens bounds the whole transcript.",
        };
        var seed = CommonOptions.Seed();
        var device = CommonOptions.Device();
        var command = new Command("eval", "Evaluate checkpoints on a verifiable math set (pass@1 greedy, pass@k, maj@k, avg@k).")
            { models, adapters, data, k, temperature, topP, limit, maxNew, batch, output, samplesOut, toolsFile, seed, device };
        command.SetAction(r =>
        {
            var options = new EvalOptions
            {
                K = r.GetValue(k), Temperature = r.GetValue(temperature), TopP = r.GetValue(topP), Limit = r.GetValue(limit),
                MaxNewTokens = r.GetValue(maxNew), BatchSize = r.GetValue(batch), Seed = r.GetValue(seed),
            };
            var toolsOptions = r.GetValue(toolsFile) is { } file ? ToolsConfigFile.Load(file, "--tools") : null;
            var dataFiles = r.GetValue(data)!;
            var examples = new ParquetExampleReader(new DataOptions { Files = dataFiles.ToList() }).ReadExamples().ToList();
            var dataName = string.Join(" ", dataFiles);
            var stderr = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
            var reports = new List<EvalReport>();
            var modelDirs = r.GetValue(models)!;
            var adapterDirs = r.GetValue(adapters) ?? [];
            if (adapterDirs.Length > 0 && modelDirs.Length != 1)
                throw new BadInputException($"--adapter: adapters apply to one base model, but --model names {modelDirs.Length}.");
            // Each row: a model folder, or the one base model with one adapter (named by the adapter's folder).
            var rows = adapterDirs.Length == 0
                ? modelDirs.Select(d => (Dir: d, Adapter: (string?)null)).ToArray()
                : adapterDirs.Select(a => (Dir: modelDirs[0], Adapter: (string?)a)).ToArray();
            using var tools = toolsOptions is null ? null : ToolSession.Start(toolsOptions, NullLogger.Instance, CancellationToken.None);
            foreach (var (baseDir, adapterDir) in rows)
            {
                var dir = adapterDir ?? baseDir;
                var records = r.GetValue(samplesOut) is null ? null : new List<EvalRecord>();
                var encoder = new PromptEncoder(HfTokenizer.Load(baseDir));
                using var model = Rollout.Model.AdaptedModel.Load(baseDir, adapterDir, CommonOptions.ParseDevice(r.GetValue(device)!), encoder.Tokenizer);
                model.eval();
                var evaluator = new Evaluator(model, encoder, new MathAnswerJudge(), options, tools);
                EvalReport? report = null;
                stderr.Progress().Start(ctx =>
                {
                    var task = ctx.AddTask(Path.GetFileName(Path.GetFullPath(dir).TrimEnd('/')));
                    report = evaluator.Run(dir, dataName, examples, (done, total) => { task.MaxValue = total; task.Value = done; },
                        records: records);
                });
                reports.Add(report!);
                if (records is not null)
                    WriteRecords(SamplesPath(r.GetValue(samplesOut)!, dir, rows.Length), examples, records);
            }
            r.InvocationConfiguration.Output.Write(MarkdownTable(reports));
            if (r.GetValue(output) is { } path)
                File.WriteAllText(path, OutputJson.Serialize(reports, indented: true) + "\n");
            return 0;
        });
        return command;
    }

    private static string SamplesPath(string path, string modelDir, int models) => models == 1 ? path
        : Path.Combine(Path.GetDirectoryName(path) ?? "", Path.GetFileNameWithoutExtension(path) + "." +
            Path.GetFileName(Path.GetFullPath(modelDir).TrimEnd('/')) + Path.GetExtension(path));

    private static void WriteRecords(string path, IReadOnlyList<RlExample> examples, IEnumerable<EvalRecord> records)
    {
        using var w = new StreamWriter(path);
        foreach (var rec in records)
        {
            var prompt = examples[rec.Index].Prompt.LastOrDefault(m => m.Role == "user")?.Content;
            var line = JsonSerializer.SerializeToNode(new
            {
                index = rec.Index, data_source = rec.DataSource, prompt, ground_truth = rec.GroundTruth, greedy = rec.Greedy,
                greedy_correct = rec.GreedyCorrect, greedy_answer = rec.GreedyAnswer, greedy_tool_calls = rec.GreedyToolCalls,
                sampled_correct = rec.SampledCorrect,
                samples = rec.Samples.Select(x => new { text = x.Text, correct = x.Correct, tool_calls = x.ToolCalls }),
            }, OutputJson.Compact)!.AsObject();
            // Without tools the lines stay as they were: no tool-call fields.
            if (rec.GreedyToolCalls is null)
            {
                line.Remove("greedy_tool_calls");
                foreach (var sample in line["samples"]!.AsArray()) sample!.AsObject().Remove("tool_calls");
            }
            w.WriteLine(line.ToJsonString(OutputJson.Compact));
        }
    }

    /// Rows: metric (overall, then per data source); columns: models.
    internal static string MarkdownTable(IReadOnlyList<EvalReport> reports)
    {
        string P(double? v) => v is { } x ? (100 * x).ToString("F1", CultureInfo.InvariantCulture) : "-";
        var sb = new StringBuilder();
        sb.AppendLine("| metric | " + string.Join(" | ", reports.Select(x => x.Model)) + " |");
        sb.AppendLine("|---|" + string.Concat(reports.Select(_ => "---:|")));
        void Row(string name, Func<EvalReport, string> cell) => sb.AppendLine($"| {name} | " + string.Join(" | ", reports.Select(cell)) + " |");
        var first = reports[0];
        Row("problems", x => x.Overall.Problems.ToString(CultureInfo.InvariantCulture));
        Row("pass@1 (greedy) %", x => P(x.Overall.GreedyPass1));
        foreach (var kk in first.Overall.PassAtK.Keys.Order())
            Row($"pass@{kk} % (T={first.Temperature})", x => P(x.Overall.PassAtK.GetValueOrDefault(kk)));
        if (first.K > 1)
        {
            Row($"maj@{first.K} %", x => P(x.Overall.MajAtK));
            Row($"avg@{first.K} %", x => P(x.Overall.AvgAtK));
        }
        Row("answer format %", x => P(x.Overall.FormatRate));
        Row("completion tokens (greedy)", x => x.Overall.MeanCompletionTokens.ToString("F1", CultureInfo.InvariantCulture));
        if (reports.Any(x => x.Tools is not null))
        {
            Row("tool calls per completion (greedy)", x => x.Overall.ToolCallsPerCompletion is { } c ? c.ToString("F2", CultureInfo.InvariantCulture) : "-");
            Row("completions with tool calls % (greedy)", x => P(x.Overall.CompletionsWithCalls));
        }
        foreach (var source in first.BySource.Keys)
        {
            Row($"{source}: pass@1 (greedy) %", x => P(x.BySource.GetValueOrDefault(source)?.GreedyPass1));
            if (first.K > 1)
            {
                Row($"{source}: pass@{first.K} %", x => P(x.BySource.GetValueOrDefault(source)?.PassAtK.GetValueOrDefault(first.K)));
                Row($"{source}: maj@{first.K} %", x => P(x.BySource.GetValueOrDefault(source)?.MajAtK));
            }
        }
        Row("seconds", x => x.Seconds.ToString("F1", CultureInfo.InvariantCulture));
        return sb.ToString();
    }
}
