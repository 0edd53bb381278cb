using System.CommandLine;
using RlTrainer.Trainer.Reporting;
using Spectre.Console;
using RlTrainer.Trainer.Contracts;

namespace RlTrainer.Trainer.Cli;

/// <summary>
/// How every <c>bench</c> subcommand prints its figures. Without --json: a Spectre.Console table and notes on standard
/// output, never cut to 80 columns (Spectre assumes 80 when output is redirected). With --json: exactly one JSON object
/// (snake_case keys, <see cref="OutputJson"/>) on standard output; progress and context lines go to standard error.
/// A subcommand builds a record of its figures and calls <see cref="Write{T}"/> with it and a table renderer.
/// </summary>
internal static class BenchOutput
{
    /// <summary>Columns a redirected table may use: wide enough for any bench table, so rows are never wrapped.</summary>
    public const int RedirectedWidth = 1 << 12;

    /// <summary>--json, declared once on <c>bench</c>; <c>Recursive</c> makes every subcommand accept it.</summary>
    public static Option<bool> Json { get; } = new("--json")
    {
        Description = "Print one JSON object (snake_case keys) on standard output instead of the table.",
        Recursive = true,
    };

    /// <summary>Standard output as Spectre.Console sees it: the terminal's width, or <see cref="RedirectedWidth"/>
    /// columns when redirected to a file or pipe.</summary>
    public static IAnsiConsole CreateConsole(TextWriter output, bool redirected)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output) });
        if (redirected) console.Profile.Width = RedirectedWidth;
        return console;
    }

    /// <summary>Prints <paramref name="figures"/> as one JSON object when --json was given, else through
    /// <paramref name="render"/> (tables and notes on the given console).</summary>
    /// Output is the invocation's (standard output unless a caller such as a test supplies a writer).
    public static void Write<T>(ParseResult parse, T figures, Action<IAnsiConsole, T> render)
    {
        var output = parse.InvocationConfiguration.Output;
        if (parse.GetValue(Json)) output.WriteLine(OutputJson.Serialize(figures));
        else render(CreateConsole(output, output != Console.Out || Console.IsOutputRedirected), figures);
    }
}
