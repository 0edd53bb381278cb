using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using RlTrainer.Trainer.Evaluation;
using RlTrainer.Trainer.Reporting;
using static RlTrainer.Trainer.Tests.Reporting.ReportXml;

namespace RlTrainer.Trainer.Tests.Reporting;

public class RunReportBuilderTests
{
    private static XDocument Report(params FakeRun[] runs) =>
        Parse(RunReport.Render(runs.Select(r => RunFolder.Load(r.Dir)).ToArray(), Array.Empty<EvalReport>()));

    private static FakeRun StandardRun(string name = "run-a", double seed = 0, int groupSize = 8)
    {
        var run = new FakeRun(name);
        run.Add(FakeRun.EvalLine(0, 0.2));
        for (int s = 1; s <= 6; s++)
        {
            run.Add(FakeRun.TrainLine(s, seed));
            if (s % 3 == 0) run.Add(FakeRun.EvalLine(s, s == 3 ? 0.5 : 0.4));
        }
        return run.WriteMetrics().WriteConfig(groupSize).AddCheckpoint(3).AddCheckpoint(6).AddCheckpoint(9, complete: false);
    }

    /// Groups and keys of the lines a test wrote, worked out here rather than by the report code.
    private static Dictionary<string, HashSet<string>> KeysByGroup(IEnumerable<JsonObject> lines) => lines
        .SelectMany(l => l.Select(kv => kv.Key)).Where(k => k is not ("step" or "type" or "time_s")).Distinct()
        .GroupBy(k => k.Contains('/') ? k.Split('/')[0] : "training").ToDictionary(g => g.Key, g => g.ToHashSet());

    private static Dictionary<string, XElement> SummaryCells(XDocument doc, string run) =>
        doc.Descendants(H + "table").Single(t => HasClass(t, "summary")).Elements(H + "tr")
            .Single(tr => Attr(tr, "data-run") == run).Elements(H + "td").Where(td => td.Attribute("data-field") is not null)
            .ToDictionary(td => Attr(td, "data-field")!);

    private static double D(JsonNode? n) => double.Parse(n!.ToJsonString(), CultureInfo.InvariantCulture);

    private static double Value(XElement cell) => double.Parse(Attr(cell, "data-value")!, CultureInfo.InvariantCulture);

    [Fact]
    public void Page_IsWellFormed_SelfContained_NoScript()
    {
        using var run = StandardRun();
        var html = RunReport.Render(new[] { RunFolder.Load(run.Dir) }, Array.Empty<EvalReport>());
        var doc = Parse(html);
        Assert.Equal(H + "html", doc.Root!.Name);
        Assert.DoesNotContain(doc.Descendants(), e => e.Name.LocalName is "script" or "link" or "img" or "iframe");
        Assert.DoesNotContain(doc.Descendants().Attributes(), a => !a.IsNamespaceDeclaration && a.Value.Contains("://"));
        Assert.DoesNotContain(doc.Descendants().Attributes(), a => a.Name.LocalName.StartsWith("on", StringComparison.Ordinal));
        // An HTML parser reads "<div/>" as an unclosed <div>: only void elements and SVG shapes may self-close.
        var selfClosed = Regex.Matches(html, @"<([a-zA-Z]+)\b[^<>]*/>").Select(m => m.Groups[1].Value).ToHashSet();
        Assert.Subset(new HashSet<string> { "meta", "path", "line", "circle" }, selfClosed);
        var css = doc.Descendants(H + "style").Single().Value;
        Assert.DoesNotContain('<', css);
        Assert.DoesNotContain('&', css);
    }

    [Fact]
    public void OneSectionPerMetricGroup_OneChartPerMetric()
    {
        using var run = StandardRun();
        var expected = KeysByGroup(run.Lines);
        var doc = Report(run);
        var sections = doc.Descendants(H + "section").Where(s => HasClass(s, "group")).ToList();
        Assert.Equal(expected.Keys.Order(), sections.Select(s => Attr(s, "data-group")!).Order());
        foreach (var section in sections)
        {
            var charts = WithClass(section, "figure", "chart").ToList();
            Assert.Equal(expected[Attr(section, "data-group")!].Order(), charts.Select(c => Attr(c, "data-metric")!).Order());
            Assert.All(charts, c => Assert.Single(c.Descendants(S + "svg")));
        }
        Assert.Equal(new[] { "eval", "reward", "training", "objective", "completion", "rollout", "update" },
            sections.Select(s => Attr(s, "data-group")));
    }

    [Fact]
    public void TrainCharts_AreSmoothed_EvalCharts_HaveADotPerEval()
    {
        using var run = StandardRun();
        var doc = Report(run);
        XElement Chart(string key) => WithClass(doc, "figure", "chart").Single(c => Attr(c, "data-metric") == key);
        var reward = Chart("reward/mean");
        Assert.Single(reward.Descendants(S + "path"), p => HasClass(p, "raw"));
        Assert.Equal(6, PathPoints(reward.Descendants(S + "path").Single(p => HasClass(p, "smoothed"))).Length);
        var eval = Chart("eval/accuracy");
        Assert.DoesNotContain(eval.Descendants(S + "path"), p => HasClass(p, "smoothed"));
        Assert.Equal(3, eval.Descendants(S + "circle").Count());
    }

    [Fact]
    public void SummaryNumbers_EqualTheRunFiles()
    {
        using var run = StandardRun();
        var cells = SummaryCells(Report(run), "run-a");
        var train = run.Lines.Where(l => (string)l["type"]! == "train").ToList();
        var evals = run.Lines.Where(l => (string)l["type"]! == "eval").Select(l => ((int)l["step"]!, D(l["eval/accuracy"]))).ToList();
        Assert.Equal(train.Max(l => (int)l["step"]!), Value(cells["steps"]));
        Assert.Equal(run.Lines.Max(l => D(l["time_s"])), Value(cells["wall_seconds"]));
        Assert.Equal(train.Sum(l => D(l["rollout/tokens"])), Value(cells["tokens_generated"]));
        Assert.Equal(train.Sum(l => D(l["update/tokens"])), Value(cells["tokens_trained"]));
        var best = evals.MaxBy(e => e.Item2);
        Assert.Equal(best.Item2, Value(cells["best_eval"]));
        Assert.Equal(best.Item1.ToString(CultureInfo.InvariantCulture), Attr(cells["best_eval"], "data-step"));
        Assert.Equal(evals[^1].Item2, Value(cells["last_eval"]));
        Assert.Equal("6", Attr(cells["last_eval"], "data-step"));
        Assert.Equal(2, Value(cells["checkpoints"])); // step-000009 has no trainer_state.json: not complete
        Assert.Equal(0, Value(cells["skipped_lines"]));
        Assert.Equal("50.0% (step 3)", cells["best_eval"].Value);
        Assert.Equal("1m 04s", cells["wall_seconds"].Value); // 10.5·6 + 1 = 64 s
    }

    [Fact]
    public void TokensWithoutCounts_AreRecoveredFromRateTimesSeconds_AndMarked()
    {
        using var run = new FakeRun();
        for (int s = 1; s <= 3; s++)
        {
            var line = FakeRun.TrainLine(s);
            line.Remove("rollout/tokens");
            run.Add(line);
        }
        run.WriteMetrics();
        var cells = SummaryCells(Report(run), "run-a");
        Assert.Equal(107 + 114 + 121, Value(cells["tokens_generated"])); // 100 + 7s, as rate × seconds
        Assert.StartsWith("≈", cells["tokens_generated"].Value);
    }

    [Fact]
    public void MalformedMetricsLines_StillRender_AndAreListed()
    {
        using var run = new FakeRun();
        for (int s = 1; s <= 4; s++) run.Add(FakeRun.TrainLine(s));
        run.WriteMetrics((1, """{"step":2,"type":"tra"""), (3, "not json at all"), (5, """{"type":"train","lr":1}"""));
        var doc = Report(run);
        var warning = WithClass(doc, "div", "warning").Single();
        var items = warning.Descendants(H + "li").Select(li => li.Value).ToList();
        Assert.Equal(3, items.Count);
        Assert.StartsWith("line 2: not valid JSON", items[0]);
        Assert.StartsWith("line 4: not valid JSON", items[1]);
        Assert.Equal("line 6: no \"step\"", items[2]);
        Assert.Equal(3, Value(SummaryCells(doc, "run-a")["skipped_lines"]));
        Assert.Equal(4, Value(SummaryCells(doc, "run-a")["steps"]));
        Assert.Equal(KeysByGroup(run.Lines).Values.Sum(k => k.Count), WithClass(doc, "figure", "chart").Count());
    }

    [Fact]
    public void SeveralRuns_ShareCharts_WithLegend_AndConfigDifferences()
    {
        using var a = StandardRun("run-a");
        using var b = StandardRun("run-b", seed: 0.5, groupSize: 16);
        var extra = FakeRun.TrainLine(7, 0.5);
        extra["replay/weight_mean"] = 0.75; // a group only run-b has
        b.Add(extra).WriteMetrics();
        var doc = Report(a, b);
        var reward = WithClass(doc, "figure", "chart").Single(c => Attr(c, "data-metric") == "reward/mean");
        Assert.Equal(new[] { "run-a", "run-b" }, reward.Descendants(S + "g").Where(g => HasClass(g, "series")).Select(g => Attr(g, "data-series")));
        Assert.Equal(new[] { "run-a", "run-b" }, WithClass(reward, "div", "legend").Single().Elements(H + "span").Select(s => s.Value));
        var replay = WithClass(doc, "figure", "chart").Single(c => Attr(c, "data-metric") == "replay/weight_mean");
        Assert.Equal(new[] { "run-b" }, replay.Descendants(S + "g").Where(g => HasClass(g, "series")).Select(g => Attr(g, "data-series")));
        Assert.Equal(7, Value(SummaryCells(doc, "run-b")["steps"]));
        Assert.Equal(6, Value(SummaryCells(doc, "run-a")["steps"]));
        var diff = doc.Descendants(H + "table").First(t => HasClass(t, "config"));
        var rows = diff.Elements(H + "tr").Skip(1).Select(tr => tr.Elements(H + "td").Select(td => td.Value).ToArray()).ToList();
        Assert.Equal(new[] { new[] { "Rollout:GroupSize", "8", "16" } }, rows);
    }

    [Fact]
    public void RunsWithTheSameFolderName_AreTellApartByParent()
    {
        using var a = StandardRun("run");
        using var b = StandardRun("run");
        var names = new RunReportBuilder(new[] { RunFolder.Load(a.Dir), RunFolder.Load(b.Dir) }).Names;
        Assert.Equal(new[] { $"{Path.GetFileName(a.Root)}/run", $"{Path.GetFileName(b.Root)}/run" }, names);
    }

    [Fact]
    public void Config_IsFlattenedToSectionKeyRows()
    {
        using var run = StandardRun();
        var doc = Report(run);
        var table = doc.Descendants(H + "details").Single().Element(H + "table")!;
        var rows = table.Elements(H + "tr").Skip(1).ToDictionary(tr => tr.Elements(H + "td").First().Value, tr => tr.Elements(H + "td").Last().Value);
        Assert.Equal("8", rows["Rollout:GroupSize"]);
        Assert.Equal("/models/tiny", rows["Model:Path"]);
        Assert.Equal("[\"</answer>\"]", rows["Rollout:StopStrings"]); // text as written, escaped only by the page
        Assert.Equal("null", rows["Data:Columns:Prompt"]);
    }

    [Fact]
    public void NoEvalsNoConfig_SaysSo()
    {
        using var run = new FakeRun();
        run.Add(FakeRun.TrainLine(1)).WriteMetrics();
        var doc = Report(run);
        var cells = SummaryCells(doc, "run-a");
        Assert.Equal("—", cells["best_eval"].Value);
        Assert.Null(cells["best_eval"].Attribute("data-value"));
        Assert.Contains(doc.Descendants(H + "p"), p => p.Value.Contains("no effective-config.json"));
    }

    [Fact]
    public void MissingRunFolderOrMetrics_NamesThePath()
    {
        var e = Assert.Throws<DirectoryNotFoundException>(() => RunFolder.Load("/no/such/run"));
        Assert.Contains("/no/such/run", e.Message);
        using var empty = new FakeRun();
        var f = Assert.Throws<FileNotFoundException>(() => RunFolder.Load(empty.Dir));
        Assert.Contains("metrics.jsonl", f.Message);
    }
}
