using System.Globalization;
using System.Xml.Linq;
using RlTrainer.Trainer.Training;

namespace RlTrainer.Trainer.Reporting;

/// <summary>
/// The training part of a report for one or more runs: a summary table (one row per run), warnings for skipped
/// metrics lines, the configuration (with the keys that differ between runs first), and one chart per metric, in one
/// section per metric group (<see cref="MetricGroups"/>). Several runs share every chart, one colour per run.
/// </summary>
public sealed class RunReportBuilder
{
    private const int MaxListedSkips = 20;
    private readonly IReadOnlyList<RunFolder> _runs;
    private readonly double _smoothing;

    /// <summary>Legend name of each run, in the order given: the folder name, with parent folders added where two
    /// runs would otherwise share a name.</summary>
    public IReadOnlyList<string> Names { get; }

    public RunReportBuilder(IReadOnlyList<RunFolder> runs, double smoothing = 0.6)
    {
        if (runs.Count == 0) throw new ArgumentException("at least one run is needed", nameof(runs));
        _runs = runs;
        _smoothing = smoothing;
        Names = DisplayNames.Of(runs.Select(r => r.Dir).ToArray());
    }

    public IEnumerable<XElement> Build()
    {
        yield return Summary();
        foreach (var warning in SkippedLineWarnings()) yield return warning;
        yield return Configuration();
        yield return Charts();
    }

    private XElement Summary()
    {
        var header = HtmlPage.E("tr", new[] { "Run", "Steps", "Wall time", "Tokens generated", "Tokens trained",
            "Best held-out accuracy", "Last held-out accuracy", "Checkpoints", "Skipped lines" }
            .Select((h, i) => HtmlPage.E("th", i == 0 ? new XAttribute("class", "key") : null, h)));
        var rows = _runs.Select((run, i) =>
        {
            var s = RunSummary.From(run);
            string approx = s.TokensEstimated ? "≈" : "";
            return HtmlPage.E("tr", new XAttribute("data-run", Names[i]),
                HtmlPage.E("td", new XAttribute("class", "key"), Swatch(i), Names[i]),
                Cell("steps", s.Steps, v => v.ToString(CultureInfo.InvariantCulture)),
                Cell("wall_seconds", s.WallSeconds, ReportFormat.Duration),
                Cell("tokens_generated", s.TokensGenerated, v => approx + v.ToString("N0", CultureInfo.InvariantCulture)),
                Cell("tokens_trained", s.TokensTrained, v => approx + v.ToString("N0", CultureInfo.InvariantCulture)),
                EvalCell("best_eval", s.BestEval), EvalCell("last_eval", s.LastEval),
                Cell<int>("checkpoints", s.Checkpoints, v => v.ToString(CultureInfo.InvariantCulture)),
                Cell<int>("skipped_lines", s.SkippedLines, v => v.ToString(CultureInfo.InvariantCulture)));
        });
        var notes = new List<string> { "Held-out accuracy: greedy pass@1 on the held-out set (eval/accuracy)." };
        if (_runs.Any(r => RunSummary.From(r).TokensEstimated))
            notes.Add("≈: some steps predate rollout/tokens and update/tokens; their counts are tokens_per_s × seconds.");
        return HtmlPage.E("section", new XAttribute("id", "summary"), HtmlPage.E("h2", "Summary"),
            HtmlPage.E("table", new XAttribute("class", "summary"), header, rows),
            notes.Select(n => HtmlPage.E("p", new XAttribute("class", "note"), n)));
    }

    private IEnumerable<XElement> SkippedLineWarnings() => _runs.Select((run, i) => (run, i)).Where(x => x.run.Metrics.Skipped.Count > 0)
        .Select(x =>
        {
            var skipped = x.run.Metrics.Skipped;
            var items = skipped.Take(MaxListedSkips).Select(s => HtmlPage.E("li", $"line {s.LineNumber}: {s.Reason}")).ToList();
            if (skipped.Count > MaxListedSkips) items.Add(HtmlPage.E("li", $"... and {skipped.Count - MaxListedSkips} more"));
            return HtmlPage.E("div", new XAttribute("class", "warning"), new XAttribute("data-run", Names[x.i]),
                $"{Names[x.i]}: {skipped.Count} line(s) of {MetricsWriter.FileName} skipped:", HtmlPage.E("ul", items));
        });

    private XElement Configuration()
    {
        var section = HtmlPage.E("section", new XAttribute("id", "config"), HtmlPage.E("h2", "Configuration"));
        foreach (var (run, i) in _runs.Select((r, i) => (r, i)).Where(x => x.r.ConfigProblem is not null))
            section.Add(HtmlPage.E("p", new XAttribute("class", "note"), $"{Names[i]}: {run.ConfigProblem}."));
        var keys = _runs.SelectMany(r => r.Config.Select(kv => kv.Key)).Distinct(StringComparer.Ordinal).ToList();
        if (keys.Count == 0) return section;
        var values = _runs.Select(r => r.Config.ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal)).ToArray();
        bool Differs(string key) => values.Select(v => v.GetValueOrDefault(key, "(absent)")).Distinct(StringComparer.Ordinal).Count() > 1;
        XElement Table(IEnumerable<string> rows) => HtmlPage.E("table", new XAttribute("class", "config"),
            HtmlPage.E("tr", HtmlPage.E("th", new XAttribute("class", "key"), "Key"),
                Names.Select(n => HtmlPage.E("th", new XAttribute("class", "key"), _runs.Count == 1 ? "Value" : n))),
            rows.Select(key => HtmlPage.E("tr", _runs.Count > 1 && Differs(key) ? new XAttribute("class", "diff") : null,
                HtmlPage.E("td", new XAttribute("class", "key"), key),
                values.Select(v => HtmlPage.E("td", new XAttribute("class", "text"), v.GetValueOrDefault(key, "(absent)"))))));
        if (_runs.Count > 1)
        {
            var differing = keys.Where(Differs).ToList();
            section.Add(HtmlPage.E("h3", $"Keys that differ between runs ({differing.Count})"),
                differing.Count > 0 ? Table(differing) : HtmlPage.E("p", new XAttribute("class", "note"), "none"));
        }
        section.Add(HtmlPage.E("details", HtmlPage.E("summary", $"All {keys.Count} options (effective-config.json)"), Table(keys)));
        return section;
    }

    private XElement Charts()
    {
        var section = HtmlPage.E("section", new XAttribute("id", "metrics"), HtmlPage.E("h2", "Metrics"),
            HtmlPage.E("p", new XAttribute("class", "note"),
                $"Over training steps. Training metrics: solid line = exponential moving average (weight {_smoothing.ToString("0.##", CultureInfo.InvariantCulture)}), " +
                "faint line = raw values. Eval metrics: raw values, one dot per evaluation. Hover a line or dot for its values."));
        // Keys in the order the first run that has them wrote them, so groups read mean, std, ... as logged.
        var keys = _runs.SelectMany(r => r.Metrics.Series).Where(s => !MetricGroups.LineFields.Contains(s.Key))
            .Select(s => s.Key).Distinct(StringComparer.Ordinal).ToList();
        var groups = MetricGroups.Order(keys.Select(MetricGroups.GroupOf)).ToList();
        section.Add(HtmlPage.E("p", new XAttribute("class", "nav"), "Groups: ", groups.Select((g, i) => new object[]
            { i > 0 ? " · " : "", HtmlPage.E("a", new XAttribute("href", "#group-" + g), g) })));
        foreach (var group in groups)
        {
            var charts = keys.Where(k => MetricGroups.GroupOf(k) == group).Select(Chart);
            section.Add(HtmlPage.E("section", new XAttribute("class", "group"), new XAttribute("data-group", group),
                new XAttribute("id", "group-" + group), HtmlPage.E("h3", group), HtmlPage.E("div", new XAttribute("class", "charts"), charts)));
        }
        return section;
    }

    private XElement Chart(string key)
    {
        var series = new List<ChartSeries>();
        for (int i = 0; i < _runs.Count; i++)
        {
            if (_runs[i].Metrics.Find(key) is not { } s) continue;
            bool eval = s.LineType == "eval";
            series.Add(new ChartSeries(Names[i], HtmlPage.Palette[i % HtmlPage.Palette.Count],
                s.Points.Select(p => ((double)p.Step, p.Value)).ToArray(), Smooth: !eval, Markers: eval));
        }
        var chart = new SvgLineChart(key, "step", ChartXAxis.LinearIntegers, _smoothing);
        return chart.Render(series, new[] { new XAttribute("data-group", MetricGroups.GroupOf(key)), new XAttribute("data-metric", key) });
    }

    private XElement? Swatch(int i) => _runs.Count > 1
        ? HtmlPage.E("span", new XAttribute("class", "swatch"), new XAttribute("style", $"background:{HtmlPage.Palette[i % HtmlPage.Palette.Count]}"), "")
        : null;

    private static XElement Cell<T>(string field, T? value, Func<T, string> format) where T : struct =>
        value is { } v
            ? HtmlPage.E("td", new XAttribute("data-field", field),
                new XAttribute("data-value", Convert.ToString(v, CultureInfo.InvariantCulture)!), format(v))
            : HtmlPage.E("td", new XAttribute("data-field", field), "—");

    private static XElement EvalCell(string field, MetricPoint? p) => p is { } e
        ? HtmlPage.E("td", new XAttribute("data-field", field), new XAttribute("data-value", e.Value.ToString("R", CultureInfo.InvariantCulture)),
            new XAttribute("data-step", e.Step), $"{ReportFormat.Percent(e.Value)} (step {e.Step})")
        : HtmlPage.E("td", new XAttribute("data-field", field), "—");

}
