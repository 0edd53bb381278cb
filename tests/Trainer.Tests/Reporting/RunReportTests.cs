using Microsoft.Extensions.Logging;
using RlTrainer.Trainer.Reporting;

namespace RlTrainer.Trainer.Tests.Reporting;

public class RunReportTests
{
    private sealed class ListLogger : ILogger
    {
        public List<string> Warnings { get; } = new();
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;
        public void Log<TState>(LogLevel level, EventId id, TState state, Exception? e, Func<TState, Exception?, string> format)
        {
            if (level == LogLevel.Warning) Warnings.Add(format(state, e));
        }
    }

    [Fact]
    public void Refresh_WritesReportHtml_AndLeavesNoTempFile()
    {
        using var run = new FakeRun();
        run.Add(FakeRun.TrainLine(1)).Add(FakeRun.EvalLine(1, 0.5)).WriteMetrics();
        var log = new ListLogger();
        Assert.True(RunReport.Refresh(run.Dir, log));
        Assert.Empty(log.Warnings);
        Assert.Equal(new[] { "metrics.jsonl", "report.html" }, Directory.GetFiles(run.Dir).Select(Path.GetFileName).Order());
        var first = File.ReadAllText(Path.Combine(run.Dir, "report.html"));
        run.Add(FakeRun.TrainLine(2)).WriteMetrics();
        Assert.True(RunReport.Refresh(run.Dir, log));
        Assert.NotEqual(first, File.ReadAllText(Path.Combine(run.Dir, "report.html")));
    }

    [Fact]
    public void Refresh_NeverThrows_LogsWhyInstead()
    {
        using var run = new FakeRun(); // no metrics.jsonl yet
        var log = new ListLogger();
        Assert.False(RunReport.Refresh(run.Dir, log));
        Assert.Contains("metrics.jsonl", Assert.Single(log.Warnings));
        Assert.False(RunReport.Refresh("/no/such/run/dir", log));
    }
}
