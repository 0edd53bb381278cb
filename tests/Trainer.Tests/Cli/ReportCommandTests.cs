using System.CommandLine;
using System.Text.Json;
using System.Xml.Linq;
using RlTrainer.Trainer.Cli;
using RlTrainer.Trainer.Tests.Reporting;
using static RlTrainer.Trainer.Tests.Reporting.ReportXml;

namespace RlTrainer.Trainer.Tests.Cli;

public class ReportCommandTests
{
    private static (int Code, string Out, string Err) Run(string[] runs, string[] evals, string? output = null, double smoothing = 0.6)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = ReportCommand.Run(runs, evals, output, smoothing, null, stdout, stderr);
        return (code, stdout.ToString().Trim(), stderr.ToString());
    }

    private static FakeRun SmallRun(string name = "run-a")
    {
        var run = new FakeRun(name);
        for (int s = 1; s <= 3; s++) run.Add(FakeRun.TrainLine(s));
        return run.Add(FakeRun.EvalLine(3, 0.5)).WriteMetrics();
    }

    [Fact]
    public void SingleRun_WritesReportHtmlInTheRunFolder_ByDefault()
    {
        using var run = SmallRun();
        var (code, output, err) = Run(new[] { run.Dir }, Array.Empty<string>());
        Assert.True(code == 0, err);
        var path = Path.Combine(run.Dir, "report.html");
        Assert.Equal(path, output);
        Assert.Equal(H + "html", Parse(File.ReadAllText(path)).Root!.Name);
    }

    [Fact]
    public void ThroughTheParser_RepeatedRunsAndSeveralEvalFiles()
    {
        using var a = SmallRun("run-a");
        using var b = SmallRun("run-b");
        var evalA = Path.Combine(a.Root, "eval.json");
        File.WriteAllText(evalA, JsonSerializer.Serialize(EvalFixtures.Base()));
        var evalB = Path.Combine(a.Root, "eval-trained.json");
        File.WriteAllText(evalB, JsonSerializer.Serialize(new[] { EvalFixtures.Trained() }, new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.CamelCase }));
        var output = Path.Combine(a.Root, "out", "both.html");
        var root = new RootCommand { ReportCommand.Create() };
        int code = root.Parse(new[] { "report", "--run", a.Dir, "--run", b.Dir, "--eval", evalA, evalB, "--out", output }).Invoke();
        Assert.Equal(0, code);
        var doc = Parse(File.ReadAllText(output));
        Assert.Equal(2, doc.Descendants(H + "table").Single(t => HasClass(t, "summary")).Elements(H + "tr").Count(tr => tr.Attribute("data-run") is not null));
        Assert.Equal(2, WithClass(doc, "figure", "chart").Count(c => Attr(c, "data-chart") == "pass-at-k"));
    }

    [Fact]
    public void NothingToReport_ExitsTwo()
    {
        var (code, _, err) = Run(Array.Empty<string>(), Array.Empty<string>());
        Assert.Equal(2, code);
        Assert.Contains("--run", err);
    }

    [Fact]
    public void MissingRunFolder_NamesIt_ExitsTwo()
    {
        var (code, _, err) = Run(new[] { "/no/such/run" }, Array.Empty<string>());
        Assert.Equal(2, code);
        Assert.Contains("'/no/such/run'", err);
    }

    [Fact]
    public void BadEvalFile_NamesFileAndField_ExitsTwo_WritesNothing()
    {
        using var run = SmallRun();
        var bad = Path.Combine(run.Root, "eval.json");
        File.WriteAllText(bad, """{"model":"m","k":1}""");
        var output = Path.Combine(run.Root, "r.html");
        var (code, _, err) = Run(new[] { run.Dir }, new[] { bad }, output);
        Assert.Equal(2, code);
        Assert.Contains(bad, err);
        Assert.Contains("Temperature", err);
        Assert.False(File.Exists(output));
    }

    [Fact]
    public void SmoothingOutOfRange_ExitsTwo()
    {
        using var run = SmallRun();
        Assert.Equal(2, Run(new[] { run.Dir }, Array.Empty<string>(), smoothing: 1).Code);
    }

    [Fact]
    public void SkippedLines_AreWarnedOnStandardError_ReportStillWritten()
    {
        using var run = new FakeRun();
        run.Add(FakeRun.TrainLine(1)).WriteMetrics((1, "{oops"));
        var (code, _, err) = Run(new[] { run.Dir }, Array.Empty<string>());
        Assert.Equal(0, code);
        Assert.Contains("skipped 1 line(s)", err);
        Assert.Contains("line 2", err);
        Assert.True(File.Exists(Path.Combine(run.Dir, "report.html")));
    }
}
