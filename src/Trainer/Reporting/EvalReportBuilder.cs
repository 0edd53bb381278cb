using System.Globalization;
using System.Xml.Linq;
using RlTrainer.Trainer.Evaluation;

namespace RlTrainer.Trainer.Reporting;

/// <summary>
/// The evaluation part of a report: the eval reports side by side (one column per model, overall and per data source;
/// the best score of each accuracy row in bold), a pass@k-vs-k chart per model (overall and per data source) and, with
/// several models, one chart overlaying their overall pass@k.
/// </summary>
public sealed class EvalReportBuilder
{
    private readonly IReadOnlyList<EvalReport> _reports;

    /// <summary>Column and legend name of each report: the model path shortened, plus the data set when the reports
    /// are not all on the same one.</summary>
    public IReadOnlyList<string> Names { get; }

    public EvalReportBuilder(IReadOnlyList<EvalReport> reports)
    {
        if (reports.Count == 0) throw new ArgumentException("at least one eval report is needed", nameof(reports));
        _reports = reports;
        var models = DisplayNames.Of(reports.Select(r => r.Model).ToArray(), numberRepeats: false);
        var data = DisplayNames.Of(reports.Select(r => r.Data).ToArray(), numberRepeats: false);
        bool oneDataSet = data.Distinct(StringComparer.Ordinal).Count() == 1;
        Names = DisplayNames.NumberRepeats(reports.Select((_, i) => oneDataSet ? models[i] : $"{models[i]} · {data[i]}").ToArray());
    }

    public IEnumerable<XElement> Build()
    {
        var section = HtmlPage.E("section", new XAttribute("id", "eval"), HtmlPage.E("h2", "Evaluation"));
        section.Add(HtmlPage.E("h3", "Overall"), Table(_reports.Select(r => (EvalScores?)r.Overall).ToArray(), withRunInfo: true));
        var sources = _reports.SelectMany(r => r.BySource.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        if (sources.Count > 1 || _reports.Any(r => r.BySource.Count > 0 && !r.BySource.Keys.SequenceEqual(sources)))
            foreach (var source in sources)
                section.Add(HtmlPage.E("h3", $"Data source: {source}"),
                    Table(_reports.Select(r => r.BySource.GetValueOrDefault(source)).ToArray(), withRunInfo: false));
        section.Add(HtmlPage.E("h3", "pass@k against k"), HtmlPage.E("div", new XAttribute("class", "charts"), Charts()));
        yield return section;
    }

    private XElement Table(IReadOnlyList<EvalScores?> scores, bool withRunInfo)
    {
        var table = HtmlPage.E("table", new XAttribute("class", "eval"),
            HtmlPage.E("tr", HtmlPage.E("th", new XAttribute("class", "key"), ""), Names.Select((n, i) =>
                HtmlPage.E("th", new XAttribute("data-model", n), Swatch(i), n))));
        void Row(string label, Func<int, double?> value, Func<double, string> format, bool higherIsBetter = false)
        {
            var values = Enumerable.Range(0, _reports.Count).Select(value).ToArray();
            double? best = higherIsBetter && _reports.Count > 1 ? values.Max() : null;
            table.Add(HtmlPage.E("tr", new XAttribute("data-row", label), HtmlPage.E("td", new XAttribute("class", "key"), label),
                values.Select(v => v is { } x
                    ? HtmlPage.E("td", new XAttribute("data-value", x.ToString("R", CultureInfo.InvariantCulture)),
                        x == best ? new XAttribute("class", "best") : null,
                        x == best ? HtmlPage.E("b", format(x)) : format(x))
                    : HtmlPage.E("td", "—"))));
        }
        if (withRunInfo)
        {
            table.Add(HtmlPage.E("tr", HtmlPage.E("td", new XAttribute("class", "key"), "Data"),
                _reports.Select(r => HtmlPage.E("td", new XAttribute("class", "text"), r.Data))));
            Row("k", i => _reports[i].K, Fixed("0"));
            Row("Temperature", i => _reports[i].Temperature, Fixed("0.###"));
        }
        Row("Problems", i => scores[i]?.Problems, Fixed("0"));
        Row("Greedy pass@1", i => scores[i]?.GreedyPass1, ReportFormat.Percent, higherIsBetter: true);
        var ks = scores.SelectMany(s => s?.PassAtK.Keys ?? Enumerable.Empty<int>()).Distinct().Order().ToList();
        foreach (var k in ks) Row($"pass@{k}", i => scores[i]?.PassAtK.TryGetValue(k, out var v) == true ? v : null, ReportFormat.Percent, higherIsBetter: true);
        Row("maj@k", i => scores[i]?.MajAtK, ReportFormat.Percent, higherIsBetter: true);
        Row("avg@k", i => scores[i]?.AvgAtK, ReportFormat.Percent, higherIsBetter: true);
        Row("Format rate", i => scores[i]?.FormatRate, ReportFormat.Percent);
        Row("Mean completion tokens", i => scores[i]?.MeanCompletionTokens, Fixed("0.0"));
        Row("Truncation rate", i => scores[i]?.TruncationRate, ReportFormat.Percent);
        if (withRunInfo)
        {
            Row("Seconds", i => _reports[i].Seconds, Fixed("0.0"));
            Row("Tokens/s", i => _reports[i].TokensPerSecond, Fixed("0.0"));
        }
        return table;
    }

    private IEnumerable<XElement> Charts()
    {
        static (double, double)[] Curve(EvalScores s) => s.PassAtK.OrderBy(kv => kv.Key).Select(kv => ((double)kv.Key, kv.Value)).ToArray();
        var withCurves = Enumerable.Range(0, _reports.Count).Where(i => _reports[i].Overall.PassAtK.Count > 0).ToList();
        if (withCurves.Count > 1)
            yield return new SvgLineChart("pass@k, all models (overall)", "k", ChartXAxis.Log2).Render(
                withCurves.Select(i => new ChartSeries(Names[i], Color(i), Curve(_reports[i].Overall), false, true)).ToArray(),
                new[] { new XAttribute("data-chart", "pass-at-k-all") });
        for (int i = 0; i < _reports.Count; i++)
        {
            var r = _reports[i];
            var attributes = new[] { new XAttribute("data-chart", "pass-at-k"), new XAttribute("data-model", Names[i]) };
            if (r.Overall.PassAtK.Count == 0)
            {
                yield return HtmlPage.E("figure", new XAttribute("class", "chart"), attributes, HtmlPage.E("figcaption", $"pass@k: {Names[i]}"),
                    HtmlPage.E("p", new XAttribute("class", "empty"), $"k = {r.K}: no pass@k curve, greedy pass@1 only " +
                        $"({ReportFormat.Percent(r.Overall.GreedyPass1)})."));
                continue;
            }
            // Overall keeps the model's colour from the tables; data sources take the other palette colours.
            var series = new List<ChartSeries> { new("overall", Color(i), Curve(r.Overall), false, true) };
            var others = HtmlPage.Palette.Where(c => c != Color(i)).ToArray();
            if (r.BySource.Count > 1)
                series.AddRange(r.BySource.OrderBy(kv => kv.Key, StringComparer.Ordinal)
                    .Select((kv, j) => new ChartSeries(kv.Key, others[j % others.Length], Curve(kv.Value), false, true)));
            yield return new SvgLineChart($"pass@k: {Names[i]}", "k", ChartXAxis.Log2).Render(series, attributes);
        }
    }

    private static Func<double, string> Fixed(string format) => v => v.ToString(format, CultureInfo.InvariantCulture);

    private static string Color(int i) => HtmlPage.Palette[i % HtmlPage.Palette.Count];

    private XElement? Swatch(int i) => _reports.Count > 1
        ? HtmlPage.E("span", new XAttribute("class", "swatch"), new XAttribute("style", $"background:{Color(i)}"), "")
        : null;
}
