using System.CommandLine;
using RlTrainer.Trainer.Reporting;

namespace RlTrainer.Trainer.Cli;

/// <summary>
/// `rltrainer report --run DIR [--run DIR ...] [--eval FILE ...] [--out FILE]`: one self-contained HTML file (inline
/// SVG charts, no script, no network) for training runs (overlaid, one colour per run) and eval outputs (side by side).
/// </summary>
internal static class ReportCommand
{
    public static Command Create()
    {
        var runs = new Option<string[]>("--run")
        {
            Description = "Training run folder (with metrics.jsonl); repeat to overlay runs in the same charts.",
            AllowMultipleArgumentsPerToken = true,
        };
        var evals = new Option<string[]>("--eval")
        {
            Description = "JSON written by `rltrainer eval` (one report or an array); several files go side by side.",
            AllowMultipleArgumentsPerToken = true,
        };
        var output = new Option<string?>("--out")
        {
            Description = $"HTML file to write. Default: <run>/{RunReport.FileName} for a single --run, else ./{RunReport.FileName}.",
        };
        var smoothing = new Option<double>("--smoothing")
        {
            Description = "EMA weight of the smoothed training curves, in [0, 1); 0 draws raw values only. Default 0.6.",
            DefaultValueFactory = _ => 0.6,
        };
        var title = new Option<string?>("--title") { Description = "Page title (default: names the runs or models)." };
        var command = new Command("report", "Write an HTML report (charts of metrics.jsonl, config, summary; eval tables and pass@k) that opens offline in any browser.")
            { runs, evals, output, smoothing, title };
        command.SetAction(r => Run(r.GetValue(runs) ?? [], r.GetValue(evals) ?? [], r.GetValue(output), r.GetValue(smoothing),
            r.GetValue(title), Console.Out, Console.Error));
        return command;
    }

    public static int Run(string[] runDirs, string[] evalFiles, string? output, double smoothing, string? title, TextWriter stdout, TextWriter stderr)
    {
        if (runDirs.Length == 0 && evalFiles.Length == 0)
        {
            stderr.WriteLine("error: report: give at least one --run DIR or --eval FILE.");
            return 2;
        }
        if (!(smoothing >= 0 && smoothing < 1))
        {
            stderr.WriteLine($"error: report: --smoothing must be in [0, 1), got {smoothing}.");
            return 2;
        }
        try
        {
            var folders = runDirs.Select(RunFolder.Load).ToArray();
            var reports = evalFiles.SelectMany(EvalReportReader.Load).ToArray();
            var path = output ?? (runDirs.Length == 1 ? Path.Combine(folders[0].Dir, RunReport.FileName) : RunReport.FileName);
            HtmlPage.Write(path, RunReport.Render(folders, reports, smoothing, title));
            foreach (var (folder, i) in folders.Select((f, i) => (f, i)).Where(x => x.f.Metrics.Skipped.Count > 0))
                stderr.WriteLine($"warning: {runDirs[i]}: skipped {folder.Metrics.Skipped.Count} line(s) of metrics.jsonl " +
                                 $"(first: line {folder.Metrics.Skipped[0].LineNumber}, {folder.Metrics.Skipped[0].Reason}); the report lists them.");
            stdout.WriteLine(Path.GetFullPath(path));
            return 0;
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or InvalidDataException or IOException or UnauthorizedAccessException)
        {
            return Errors.ErrorReport.Write(e, stderr, verbose: false); // the one mapping of failures to messages and exit codes
        }
    }
}
