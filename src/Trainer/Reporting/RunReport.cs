using System.Globalization;
using System.Xml.Linq;
using Microsoft.Extensions.Logging;
using RlTrainer.Trainer.Evaluation;

namespace RlTrainer.Trainer.Reporting;

/// <summary>
/// Puts a whole report page together (header, training runs, evaluations), and refreshes &lt;run&gt;/report.html for
/// the training service, which calls <see cref="Refresh"/> after each evaluation and at the end of a run.
/// </summary>
public static class RunReport
{
    public const string FileName = "report.html";

    public static string Render(IReadOnlyList<RunFolder> runs, IReadOnlyList<EvalReport> evals, double smoothing = 0.6,
        string? title = null, string? note = null)
    {
        var runBuilder = runs.Count > 0 ? new RunReportBuilder(runs, smoothing) : null;
        var evalBuilder = evals.Count > 0 ? new EvalReportBuilder(evals) : null;
        title ??= runBuilder is not null
            ? $"Training report: {string.Join(", ", runBuilder.Names)}"
            : $"Evaluation report: {string.Join(", ", evalBuilder!.Names)}";
        var generated = DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
        var body = new List<XElement>
        {
            HtmlPage.E("h1", title),
            HtmlPage.E("p", new XAttribute("class", "meta"), $"Generated {generated} UTC by rltrainer report." + (note is null ? "" : " " + note)),
        };
        if (runs.Count > 0)
            body.Add(HtmlPage.E("p", new XAttribute("class", "meta"), "Run folders: " + string.Join("; ", runs.Select(r => r.Dir))));
        if (runBuilder is not null) body.AddRange(runBuilder.Build());
        if (evalBuilder is not null) body.AddRange(evalBuilder.Build());
        return HtmlPage.Render(title, body);
    }

    /// <summary>
    /// Rewrites &lt;runDir&gt;/report.html from the run's files. A report is a convenience: any failure is logged as a
    /// warning and swallowed, so it can never stop training.
    /// </summary>
    /// <returns>Whether the report was written.</returns>
    public static bool Refresh(string runDir, ILogger logger)
    {
        try
        {
            var html = Render(new[] { RunFolder.Load(runDir) }, Array.Empty<EvalReport>(),
                note: "The trainer rewrites this page after each evaluation: reload to update.");
            HtmlPage.Write(Path.Combine(runDir, FileName), html);
            return true;
        }
        catch (Exception e)
        {
            logger.LogWarning("Run report {Path} not refreshed: {Message}", Path.Combine(runDir, FileName), e.Message);
            return false;
        }
    }
}
