using System.CommandLine;
using System.CommandLine.Invocation;
using RlTrainer.Trainer.Errors;

namespace RlTrainer.Trainer.Cli;

/// <summary>
/// The `rltrainer` command line: every subcommand under one root, and the one place where failures become an exit
/// code and "error: ..." lines on standard error (<see cref="ErrorReport"/>): 2 for usage and bad input, 1 for a run
/// that failed, and a stack trace only with --verbose.
/// </summary>
internal static class CommandLineApp
{
    public const string VerboseOption = "--verbose";

    public static RootCommand CreateRoot()
    {
        var root = new RootCommand("RlTrainer: RL post-training (GRPO, ESS) for causal language models on TorchSharp.");
        // Every subcommand lives in Cli/<Name>Command.cs and builds itself.
        foreach (var command in new[]
        {
            GenerateCommand.Create(), InitModelCommand.Create(), DataCommand.Create(), TokenizeCommand.Create(),
            TrainTokenizerCommand.Create(), SftCommand.Create(), TrainCommand.Create(), ScoreCommand.Create(),
            EvalCommand.Create(), BenchCommand.Create(), ReportCommand.Create(), ServeCommand.Create(), PruneSimCommand.Create(), MergeCommand.Create(),
        })
        {
            root.Subcommands.Add(command);
        }
        root.Options.Add(new Option<bool>(VerboseOption) { Recursive = true, Description = "On an error, print its stack trace too." });
        return root;
    }

    /// <summary>Parses and runs <paramref name="args"/>; returns the process exit code.</summary>
    public static async Task<int> InvokeAsync(string[] args, TextWriter? output = null, TextWriter? error = null)
    {
        var configuration = new InvocationConfiguration { EnableDefaultExceptionHandler = false };
        if (output is not null) configuration.Output = output;
        if (error is not null) configuration.Error = error;
        var parsed = CreateRoot().Parse(args);
        if (parsed.Errors.Count > 0)
        {
            // Unknown options, missing or mistyped values: the parser's messages and typo hints, without the whole help.
            if (parsed.Action is ParseErrorAction action) action.ShowHelp = false;
            await parsed.InvokeAsync(configuration);
            configuration.Error.WriteLine($"'{CommandPath(parsed)} --help' lists the options.");
            return ExitCodes.BadInput;
        }
        try
        {
            return await parsed.InvokeAsync(configuration);
        }
        catch (Exception e)
        {
            return ErrorReport.Write(e, configuration.Error, parsed.GetValue<bool>(VerboseOption));
        }
    }

    /// "rltrainer data preview" for the subcommand the arguments chose.
    private static string CommandPath(ParseResult parsed)
    {
        var names = new List<string>();
        for (var r = parsed.CommandResult; r is not null; r = r.Parent as System.CommandLine.Parsing.CommandResult)
            names.Add(r.Parent is null ? "rltrainer" : r.Command.Name);
        names.Reverse();
        return string.Join(' ', names);
    }
}
