using RlTrainer.Trainer.Reporting;

namespace RlTrainer.Trainer.Tests.Reporting;

public class RunMetricsTests
{
    [Fact]
    public void GoodLines_BecomeSeriesPerKey_InWrittenOrder_SortedBySteps()
    {
        var m = RunMetrics.Parse(new[]
        {
            """{"step":0,"type":"eval","time_s":1.5,"eval/accuracy":0.25}""",
            """{"step":2,"type":"train","time_s":9,"reward/mean":0.5,"reward/std":0.1}""",
            """{"step":1,"type":"train","time_s":4,"reward/mean":0.2,"reward/std":0.3}""",
        });
        Assert.Empty(m.Skipped);
        Assert.Equal(3, m.LineCount);
        Assert.Equal(9, m.WallSeconds);
        Assert.Equal(new[] { "eval/accuracy", "reward/mean", "reward/std" }, m.Series.Select(s => s.Key));
        Assert.Equal(new[] { new MetricPoint(1, 0.2), new MetricPoint(2, 0.5) }, m.Find("reward/mean")!.Points);
        Assert.Equal("eval", m.Find("eval/accuracy")!.LineType);
        Assert.Null(m.Find("time_s")); // places the line, is not a metric
    }

    [Fact]
    public void MalformedLines_AreSkippedWithLineNumberAndReason_OthersKept()
    {
        var m = RunMetrics.Parse(new[]
        {
            """{"step":1,"type":"train","reward/mean":0.5}""",
            """{"step":2,"type":"train","reward/me""",           // 2: cut mid-write
            "",                                                   // 3
            "[1, 2]",                                             // 4
            """{"type":"train","reward/mean":1}""",               // 5
            """{"step":"3","type":"train"}""",                    // 6
            """{"step":-1,"type":"train"}""",                     // 7
            """{"step":2.5,"type":"train"}""",                    // 8
            """{"step":4}""",                                     // 9
            """{"step":5,"type":7}""",                            // 10
            """{"step":6,"type":"train","reward/mean":"high","note":null,"reward/std":0.25}""", // 11: kept, strings ignored
        });
        Assert.Equal(new[] { 2, 3, 4, 5, 6, 7, 8, 9, 10 }, m.Skipped.Select(s => s.LineNumber));
        var reasons = m.Skipped.ToDictionary(s => s.LineNumber, s => s.Reason);
        Assert.StartsWith("not valid JSON", reasons[2]);
        Assert.Equal("blank line", reasons[3]);
        Assert.Equal("not a JSON object but an array", reasons[4]);
        Assert.Equal("no \"step\"", reasons[5]);
        Assert.Equal("\"step\" is \"3\", not a non-negative integer", reasons[6]);
        Assert.Equal("\"step\" is -1, not a non-negative integer", reasons[7]);
        Assert.Equal("\"step\" is 2.5, not a non-negative integer", reasons[8]);
        Assert.Equal("no \"type\"", reasons[9]);
        Assert.Equal("\"type\" is 7, not a string", reasons[10]);
        Assert.Equal(2, m.LineCount);
        Assert.Equal(new[] { new MetricPoint(1, 0.5) }, m.Find("reward/mean")!.Points);
        Assert.Equal(new[] { new MetricPoint(6, 0.25) }, m.Find("reward/std")!.Points);
    }

    [Fact]
    public void RepeatedStep_LaterLineWins()
    {
        var m = RunMetrics.Parse(new[]
        {
            """{"step":1,"type":"train","lr":1}""",
            """{"step":2,"type":"train","lr":2}""",
            """{"step":2,"type":"train","lr":3}""",
        });
        Assert.Equal(new[] { new MetricPoint(1, 1), new MetricPoint(2, 3) }, m.Find("lr")!.Points);
    }

    [Fact]
    public void Load_ReadsAFileTheTrainerStillHasOpenForAppend()
    {
        var path = Path.GetTempFileName();
        try
        {
            using var writer = new StreamWriter(new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read)) { AutoFlush = true };
            writer.WriteLine("""{"step":1,"type":"train","lr":1}""");
            Assert.Single(RunMetrics.Load(path).Series);
        }
        finally { File.Delete(path); }
    }
}
