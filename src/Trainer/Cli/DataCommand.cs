using System.CommandLine;
using Microsoft.Extensions.Configuration;
using RlTrainer.Trainer.Data;
using RlTrainer.Trainer.Data.Generation;
using RlTrainer.Trainer.Errors;
using RlTrainer.Trainer.Hosting;
using RlTrainer.Trainer.Reporting;
using RlTrainer.Trainer.Contracts;

namespace RlTrainer.Trainer.Cli;

/// <summary>
/// `rltrainer data`: <c>preview</c> prints rows of Parquet files as the trainer reads them; <c>make-arith</c> and
/// <c>make-general</c> write the seeded generated data sets.
/// </summary>
internal static class DataCommand
{
    public static Command Create()
    {
        var command = new Command("data", "Inspect Parquet data files and write the generated data sets.");
        command.Subcommands.Add(CreatePreview());
        var columnShare = new Option<double>("--column-share")
        {
            Description = "Share of targets worked digit by digit (column addition, long division) instead of one equation per operation; prompts and answers do not change.",
            DefaultValueFactory = _ => 0.0,
        };
        var recheckRate = new Option<double>("--recheck-rate")
        {
            Description = "Fraction of targets given 1-3 redundant re-check segments and a final-answer line (default 0: the bundled set).",
        };
        var recheckStyle = new Option<RecheckStyle>("--recheck-style")
        {
            Description = "What the re-checks say: recompute (the last step again) or restate (the answer again, no arithmetic).",
            DefaultValueFactory = _ => RecheckStyle.Recompute,
        };
        var answerOnlyShare = new Option<double>("--answer-only-share")
        {
            Description = "Share of targets that give only the boxed answer, with no working (default 0: the bundled set); prompts and answers do not change.",
        };
        var toolShare = new Option<double>("--tool-share")
        {
            Description = "Share of problems with operands too large to compute in the head (4-6 digit sums and differences, 3-4 by 2-3 digit products, divisions by 2-digit numbers), for a calculator tool (default 0: the bundled set).",
        };
        var toolCallShare = new Option<double>("--tool-call-share")
        {
            Description = "Share of those big-operand problems whose target calls the calculator (call, injected tool response, continuation) instead of working in the head (default 0); prompts and answers do not change.",
        };
        command.Subcommands.Add(CreateMake("make-arith", "Write the arithmetic word-problem set (verl schema).",
            (r, train, test, seed) => ArithmeticProblemGenerator.Generate(train, test, seed, r.GetValue(columnShare), r.GetValue(recheckRate),
                r.GetValue(answerOnlyShare), r.GetValue(recheckStyle), r.GetValue(toolShare), r.GetValue(toolCallShare)),
            defaultTrain: 20_000, defaultTest: 500, columnShare, recheckRate, recheckStyle, answerOnlyShare, toolShare, toolCallShare));
        command.Subcommands.Add(CreateMake("make-general", "Write the general-skill set (max, min, count; verl schema).",
            (_, train, test, seed) => GeneralSkillGenerator.Generate(train, test, seed), defaultTrain: 10_000, defaultTest: 300));
        return command;
    }

    /// <summary>
    /// JSONL, one {"prompt", "ground_truth", "data_source"} per row. "prompt" is the text of the messages as a plain
    /// prompt shows them: a single message's content as it is, several messages' contents joined by a blank line.
    /// </summary>
    private static Command CreatePreview()
    {
        var data = new Option<string[]>("--data") { Description = "Parquet files or globs.", Required = true, AllowMultipleArgumentsPerToken = true };
        var limit = new Option<int?>("--limit") { Description = "Print at most N rows (default: all)." };
        var shape = new Option<DataShape?>("--shape") { Description = "auto, verl, gsm8k, math or custom (default: the config's, else auto)." };
        var config = new Option<FileInfo?>("--config") { Description = "A run config JSON whose \"Data\" section gives shape, columns and nulls." };
        var columns = new Option<string[]>("--column")
        {
            Description = "A column mapping FIELD=COLUMN (Prompt, GroundTruth, DataSource, Ability, Target, ExtraInfo); repeatable.",
        };
        var nulls = new Option<NullHandling?>("--nulls") { Description = "error or skip (default: the config's, else error)." };
        var withTarget = new Option<bool>("--with-target") { Description = "Add each row's target completion (\"target\", null when the row has none)." };
        var command = new Command("preview", "Print rows as JSONL {\"prompt\", \"ground_truth\", \"data_source\"}.")
        {
            data, limit, shape, config, columns, nulls, withTarget,
        };
        command.SetAction(parseResult =>
        {
            var output = parseResult.InvocationConfiguration.Output;
            var error = parseResult.InvocationConfiguration.Error;
            var options = LoadOptions(parseResult.GetValue(config));
            options.Files = [.. parseResult.GetValue(data)!];
            if (parseResult.GetValue(shape) is { } s) options.Shape = s;
            if (parseResult.GetValue(nulls) is { } n) options.Nulls = n;
            foreach (var mapping in parseResult.GetValue(columns) ?? []) Map(options.Columns, mapping);
            var check = new DataOptionsValidator().Validate(null, options);
            if (check.Failed) throw new BadInputException(string.Join(Environment.NewLine, check.Failures!));

            var reader = new ParquetExampleReader(options);
            var rows = reader.ReadExamples();
            if (parseResult.GetValue(limit) is { } max) rows = rows.Take(Math.Max(0, max));
            foreach (var example in rows) output.WriteLine(ToJsonLine(example, parseResult.GetValue(withTarget)));
            if (reader.SkippedRows > 0) error.WriteLine($"skipped {reader.SkippedRows} rows with nulls");
            return 0;
        });
        return command;
    }

    private static Command CreateMake(string name, string description, Func<ParseResult, int, int, long, GeneratedDataSet> generate,
        int defaultTrain, int defaultTest, params Option[] extra)
    {
        var output = new Option<DirectoryInfo>("--out") { Description = "Folder for train.parquet and test.parquet.", Required = true };
        var seed = new Option<long>("--seed") { Description = "Generator seed.", Required = true };
        var train = new Option<int>("--train") { Description = $"Train rows (default {defaultTrain}).", DefaultValueFactory = _ => defaultTrain };
        var test = new Option<int>("--test") { Description = $"Test rows (default {defaultTest}).", DefaultValueFactory = _ => defaultTest };
        var command = new Command(name, description) { output, seed, train, test };
        foreach (var option in extra) command.Options.Add(option);
        command.SetAction(async (parseResult, ct) =>
        {
            var (trainRows, testRows) = (parseResult.GetValue(train), parseResult.GetValue(test));
            if (trainRows < 1 || testRows < 1)
                throw new BadInputException($"--train ({trainRows}) and --test ({testRows}) must be at least 1");

            var folder = parseResult.GetValue(output)!.FullName;
            GeneratedDataSet set;
            try { set = generate(parseResult, trainRows, testRows, parseResult.GetValue(seed)); }
            catch (ArgumentOutOfRangeException ex) { throw new BadInputException(ex.Message, ex); }
            foreach (var (split, rows) in new[] { ("train", set.Train), ("test", set.Test) })
            {
                var path = Path.Combine(folder, $"{split}.parquet");
                await VerlParquetWriter.WriteAsync(path, rows, ct: ct);
                parseResult.InvocationConfiguration.Output.WriteLine($"wrote {path}: {rows.Count} rows");
            }

            return 0;
        });
        return command;
    }

    private static DataOptions LoadOptions(FileInfo? config)
    {
        var options = new DataOptions();
        if (config is null) return options;
        var configuration = new ConfigurationManager().AddJsonConfigFile(config.FullName, "--config");
        var origin = new ConfigurationOrigin(configuration, config.FullName);
        ConfigurationKeyCheck.ThrowIfInvalid(configuration, TrainCommand.RunSections(), origin);
        configuration.GetSection(DataOptions.Section).Bind(options);
        return options;
    }

    private static void Map(ColumnMapping columns, string mapping)
    {
        var parts = mapping.Split('=', 2);
        if (parts.Length != 2 || parts[1].Length == 0) throw new BadInputException($"--column '{mapping}': expected FIELD=COLUMN");
        var field = parts[0].Replace("_", "", StringComparison.Ordinal).ToLowerInvariant();
        switch (field)
        {
            case "prompt": columns.Prompt = parts[1]; break;
            case "groundtruth": columns.GroundTruth = parts[1]; break;
            case "datasource": columns.DataSource = parts[1]; break;
            case "ability": columns.Ability = parts[1]; break;
            case "target": columns.Target = parts[1]; break;
            case "extrainfo": columns.ExtraInfo = parts[1]; break;
            default:
                throw new BadInputException(
                    $"--column '{mapping}': unknown field '{parts[0]}'; use Prompt, GroundTruth, DataSource, Ability, Target or ExtraInfo");
        }
    }

    private static string ToJsonLine(RlExample example, bool withTarget)
    {
        var row = new Dictionary<string, string?>
        {
            ["prompt"] = string.Join("\n\n", example.Prompt.Select(m => m.Content)),
            ["ground_truth"] = example.GroundTruth,
            ["data_source"] = example.DataSource,
        };
        if (withTarget) row["target"] = example.Target;
        return OutputJson.Serialize(row);
    }
}
