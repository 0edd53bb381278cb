using System.Diagnostics.Metrics;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using RlTrainer.Trainer.Telemetry;

namespace RlTrainer.Trainer.Tests.Telemetry;

public class TrainingMetricsTests
{
    /// Every measurement of the RlTrainer meter made during <paramref name="act"/>: (instrument, value, tags).
    private static List<(string Name, double Value, string Tags)> Measure(Action<TrainingMetrics> act)
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var metrics = new TrainingMetrics(services.GetRequiredService<IMeterFactory>());
        var seen = new List<(string, double, string)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == TrainingMetrics.MeterName) l.EnableMeasurementEvents(instrument);
        };
        void Record(Instrument i, double v, ReadOnlySpan<KeyValuePair<string, object?>> tags) =>
            seen.Add((i.Name, v, string.Join(",", tags.ToArray().Select(t => $"{t.Key}={t.Value}"))));
        listener.SetMeasurementEventCallback<double>((i, v, tags, _) => Record(i, v, tags));
        listener.SetMeasurementEventCallback<long>((i, v, tags, _) => Record(i, v, tags));
        listener.Start();
        act(metrics);
        return seen;
    }

    [Fact]
    public void ATrainLine_CountsTheStepAndTokens_GaugesItsValues_RecordsItsDurations()
    {
        var line = new JsonObject
        {
            ["step"] = 7, ["type"] = "train", ["reward/mean"] = 0.625, ["accuracy"] = 0.5, ["rollout/tokens"] = 120,
            ["update/tokens"] = 150, ["step/seconds"] = 2.5, ["rss_mib"] = 2.0, ["reward/accuracy/mean"] = 0.5,
            ["reward/accuracy/std"] = 0.1, ["objective/ess"] = 0.75, ["groups/dropped"] = 1,
        };
        var m = Measure(x => x.OnLine(line));
        Assert.Contains(("rltrainer.steps", 1.0, ""), m);
        Assert.Contains(("rltrainer.step", 7.0, ""), m);
        Assert.Contains(("rltrainer.reward.mean", 0.625, ""), m);
        Assert.Contains(("rltrainer.accuracy", 0.5, ""), m);
        Assert.Contains(("rltrainer.rollout.tokens", 120.0, ""), m);
        Assert.Contains(("rltrainer.update.tokens", 150.0, ""), m);
        Assert.Contains(("rltrainer.step.duration", 2.5, ""), m);
        Assert.Contains(("rltrainer.process.rss", 2.0 * 1024 * 1024, ""), m);
        Assert.Contains(("rltrainer.reward.component.mean", 0.5, "component=accuracy"), m);
        Assert.Contains(("rltrainer.objective", 0.75, "term=ess"), m);
        Assert.Equal(10, m.Count); // the std of a component and groups/dropped are not published
    }

    [Fact]
    public void AnEvalLine_CountsTheEvaluation_AndGaugesEachSetsAccuracy()
    {
        var line = new JsonObject
        {
            ["step"] = 20, ["type"] = "eval", ["eval/accuracy"] = 0.3, ["eval/held-out/accuracy"] = 0.3,
            ["eval/general/accuracy"] = 0.1, ["eval/seconds"] = 12.0, ["eval/problems"] = 100,
        };
        var m = Measure(x => x.OnLine(line));
        Assert.Equal(
            new[] { ("rltrainer.evaluations", 1.0, ""), ("rltrainer.eval.accuracy", 0.3, "set=held-out"),
                    ("rltrainer.eval.accuracy", 0.1, "set=general"), ("rltrainer.eval.duration", 12.0, "") }.Order(),
            m.Order());
    }
}
