using System.Globalization;
using System.Xml.Linq;
using RlTrainer.Trainer.Evaluation;
using RlTrainer.Trainer.Reporting;
using static RlTrainer.Trainer.Tests.Reporting.ReportXml;

namespace RlTrainer.Trainer.Tests.Reporting;

public class EvalReportBuilderTests
{
    private static XDocument Report(params EvalReport[] reports) => Parse(RunReport.Render(Array.Empty<RunFolder>(), reports));

    private static double?[] Row(XElement table, string label) => table.Elements(H + "tr").Single(tr => Attr(tr, "data-row") == label)
        .Elements(H + "td").Skip(1).Select(td => Attr(td, "data-value") is { } v ? double.Parse(v, CultureInfo.InvariantCulture) : (double?)null).ToArray();

    [Fact]
    public void Tables_PutModelsSideBySide_WithTheirNumbers()
    {
        var a = EvalFixtures.Base();
        var b = EvalFixtures.Trained();
        var doc = Report(a, b);
        var tables = doc.Descendants(H + "table").Where(t => HasClass(t, "eval")).ToList();
        Assert.Equal(3, tables.Count); // overall, arith, general
        Assert.Equal(new[] { "step-000000", "step-000030" }, tables[0].Elements(H + "tr").First().Elements(H + "th").Skip(1).Select(th => th.Value));
        Assert.Equal(new double?[] { a.Overall.GreedyPass1, b.Overall.GreedyPass1 }, Row(tables[0], "Greedy pass@1"));
        Assert.Equal(new double?[] { a.Overall.PassAtK[8], b.Overall.PassAtK[8] }, Row(tables[0], "pass@8"));
        Assert.Equal(new double?[] { a.Seconds, b.Seconds }, Row(tables[0], "Seconds"));
        Assert.Equal(new double?[] { a.BySource["general"].PassAtK[2], b.BySource["general"].PassAtK[2] }, Row(tables[2], "pass@2"));
        // the better model's accuracy is bold
        var bold = tables[0].Elements(H + "tr").Single(tr => Attr(tr, "data-row") == "Greedy pass@1").Elements(H + "td").Last();
        Assert.NotNull(bold.Element(H + "b"));
    }

    [Fact]
    public void PassAtKChart_PerModel_PlusOneOverlay()
    {
        var doc = Report(EvalFixtures.Base(), EvalFixtures.Trained(), EvalFixtures.GreedyOnly());
        var perModel = WithClass(doc, "figure", "chart").Where(c => Attr(c, "data-chart") == "pass-at-k").ToList();
        Assert.Equal(3, perModel.Count);
        // one line per data source plus overall, one dot per k
        var first = perModel[0];
        Assert.Equal(new[] { "overall", "arith", "general" }, first.Descendants(S + "g").Where(g => HasClass(g, "series")).Select(g => Attr(g, "data-series")));
        Assert.Equal(12, first.Descendants(S + "circle").Count());
        Assert.Contains("greedy pass@1 only", WithClass(perModel[2], "p", "empty").Single().Value);
        var overlay = WithClass(doc, "figure", "chart").Single(c => Attr(c, "data-chart") == "pass-at-k-all");
        Assert.Equal(2, overlay.Descendants(S + "g").Count(g => HasClass(g, "series")));
    }

    [Fact]
    public void ReportsOnDifferentData_AreNamedByModelAndData()
    {
        var other = EvalFixtures.Base() with { Data = "data/general/test.parquet" };
        var names = new EvalReportBuilder(new[] { EvalFixtures.Base(), other }).Names;
        Assert.Equal(new[] { "step-000000 · arith/test.parquet", "step-000000 · general/test.parquet" }, names);
    }
}
