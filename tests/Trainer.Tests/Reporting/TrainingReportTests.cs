using RlTrainer.Trainer.Tests.Training;
using static RlTrainer.Trainer.Tests.Reporting.ReportXml;

namespace RlTrainer.Trainer.Tests.Reporting;

/// The training service keeps &lt;run&gt;/report.html current: a real (tiny) run with evaluations leaves one that
/// charts the train and eval metrics it wrote.
[Collection("serial")]
public class TrainingReportTests
{
    [Fact]
    public void TrainingWithEvals_LeavesAReportOfItsMetrics()
    {
        using var run = new TinyRun(maxSteps: 2, checkpointEvery: 0);
        Assert.Equal(0, run.Train("--Eval:Enabled=true", "--Eval:Every=1", "--Eval:Limit=3", "--Eval:MaxNewTokens=4"));
        var doc = Parse(File.ReadAllText(Path.Combine(run.RunDir, "report.html")));
        var groups = doc.Descendants(H + "section").Where(s => HasClass(s, "group")).Select(s => Attr(s, "data-group")).ToList();
        Assert.Contains("eval", groups);
        Assert.Contains("reward", groups);
        var evalDots = WithClass(doc, "figure", "chart").Single(c => Attr(c, "data-metric") == "eval/accuracy").Descendants(S + "circle");
        Assert.Equal(3, evalDots.Count()); // before step 1, after steps 1 and 2
    }
}
