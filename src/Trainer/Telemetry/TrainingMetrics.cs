using System.Diagnostics.Metrics;
using System.Text.Json;
using System.Text.Json.Nodes;
using RlTrainer.Trainer.Training;

namespace RlTrainer.Trainer.Telemetry;

/// <summary>
/// Publishes the metrics.jsonl lines through System.Diagnostics.Metrics, meter <see cref="MeterName"/>, so OpenTelemetry
/// (and dotnet-counters) see the numbers of the file and no second computation of them. Counters add up what this
/// process did; gauges hold the last line's value; durations are histograms. Names as OpenTelemetry spells them; the
/// Prometheus exporter writes '.' as '_', adds the unit ("_seconds", "_bytes") and "_total" to counters.
/// </summary>
public sealed class TrainingMetrics : IMetricsLineObserver
{
    public const string MeterName = "RlTrainer";

    /// metrics.jsonl key → gauge of the last train line.
    private static readonly (string Key, string Name, string Description)[] StepGauges =
    {
        ("step", "rltrainer.step", "Last finished training step (counted across resumes)."),
        ("reward/mean", "rltrainer.reward.mean", "Mean reward of the last step's completions."),
        ("reward/std", "rltrainer.reward.std", "Standard deviation of the last step's rewards."),
        ("accuracy", "rltrainer.accuracy", "Share of the last step's completions judged correct."),
        ("completion/length_mean", "rltrainer.completion.length.mean", "Mean completion length of the last step, in tokens."),
        ("completion/truncated_rate", "rltrainer.completion.truncated.rate", "Share of the last step's completions cut at MaxNewTokens."),
        ("lr", "rltrainer.learning_rate", "Learning rate of the last step."),
        ("grad_norm", "rltrainer.grad_norm", "Gradient norm of the last step (before clipping)."),
        ("rollout/tokens_per_s", "rltrainer.rollout.throughput", "Sampled tokens per second in the last step's rollout."),
        ("update/tokens_per_s", "rltrainer.update.throughput", "Trained tokens per second in the last step's update."),
    };

    /// metrics.jsonl key → histogram of seconds, one record per line that has the key.
    private static readonly (string Key, string Name, string Description)[] Durations =
    {
        ("step/seconds", "rltrainer.step.duration", "Learner wall time of a step: rollout (or the wait for the producer's batch) plus update."),
        ("rollout/seconds", "rltrainer.rollout.duration", "Rollout (sampling and scoring) time of a step."),
        ("update/seconds", "rltrainer.update.duration", "Update (loss, backward, optimizer) time of a step."),
        ("eval/seconds", "rltrainer.eval.duration", "Time of an evaluation of the held-out set."),
    };

    private readonly Counter<long> _steps, _evaluations, _rolloutTokens, _updateTokens;
    private readonly Dictionary<string, Gauge<double>> _stepGauges;
    private readonly Dictionary<string, Histogram<double>> _durations;
    private readonly Gauge<double> _rss, _rewardComponent, _objective, _evalAccuracy;

    public TrainingMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _steps = meter.CreateCounter<long>("rltrainer.steps", "{step}", "Training steps finished by this process.");
        _evaluations = meter.CreateCounter<long>("rltrainer.evaluations", "{evaluation}", "Evaluations finished by this process.");
        _rolloutTokens = meter.CreateCounter<long>("rltrainer.rollout.tokens", "{token}", "Tokens sampled in rollouts.");
        _updateTokens = meter.CreateCounter<long>("rltrainer.update.tokens", "{token}", "Tokens trained on in updates.");
        _stepGauges = StepGauges.ToDictionary(g => g.Key, g => meter.CreateGauge<double>(g.Name, null, g.Description));
        _durations = Durations.ToDictionary(d => d.Key, d => meter.CreateHistogram<double>(d.Name, "s", d.Description));
        _rss = meter.CreateGauge<double>("rltrainer.process.rss", "By", "Resident set size after the last step.");
        _rewardComponent = meter.CreateGauge<double>("rltrainer.reward.component.mean", null,
            "Mean of one reward component over the last step's completions it applies to (tag component).");
        _objective = meter.CreateGauge<double>("rltrainer.objective", null,
            "A term the objective reports for the last step: ess, entropy, kl, clip fractions, ... (tag term).");
        _evalAccuracy = meter.CreateGauge<double>("rltrainer.eval.accuracy", null,
            "Greedy accuracy of the last evaluation, per evaluated set and data source (tag set).");
    }

    public void OnLine(JsonObject line)
    {
        bool train = line["type"]?.GetValue<string>() == "train";
        foreach (var (key, node) in line)
        {
            if (key == "step" || Number(node) is not { } v) continue;
            if (_durations.TryGetValue(key, out var histogram)) histogram.Record(v);
            else if (!train) RecordEval(key, v);
            else if (_stepGauges.TryGetValue(key, out var gauge)) gauge.Record(v);
            else RecordStep(key, v);
        }
        // The step's number and count come last, so a scrape that shows step N also shows N's values (barring a
        // collection that spans this whole call).
        if (!train)
        {
            _evaluations.Add(1);
            return;
        }
        if (Number(line["step"]) is { } step) _stepGauges["step"].Record(step);
        _steps.Add(1);
    }

    private void RecordStep(string key, double v)
    {
        switch (key)
        {
            case "rollout/tokens": _rolloutTokens.Add((long)v); break;
            case "update/tokens": _updateTokens.Add((long)v); break;
            case "rss_mib": _rss.Record(v * 1024 * 1024); break;
            case var k when k.StartsWith("objective/", StringComparison.Ordinal):
                _objective.Record(v, new KeyValuePair<string, object?>("term", k["objective/".Length..]));
                break;
            case var k when k.StartsWith("reward/", StringComparison.Ordinal) && k.EndsWith("/mean", StringComparison.Ordinal) && k.Count(c => c == '/') == 2:
                _rewardComponent.Record(v, new KeyValuePair<string, object?>("component", k.Split('/')[1]));
                break;
        }
    }

    /// "eval/&lt;set&gt;/accuracy" keys: the held-out set, its data sources and the Eval:Sets.
    private void RecordEval(string key, double v)
    {
        var parts = key.Split('/');
        if (parts is ["eval", var set, "accuracy"])
            _evalAccuracy.Record(v, new KeyValuePair<string, object?>("set", set));
    }

    private static double? Number(JsonNode? node)
    {
        if (node is not JsonValue value || value.GetValueKind() != JsonValueKind.Number) return null;
        if (value.TryGetValue(out double d)) return d;
        if (value.TryGetValue(out long l)) return l;
        return value.TryGetValue(out int i) ? i : null;
    }
}
