using System.Text.Json.Nodes;
using RlTrainer.Rewards.Functions;
using RlTrainer.Trainer.Contracts;

namespace RlTrainer.Trainer.Training;

/// <summary>
/// The <c>tools/…</c> keys of metrics.jsonl (docs/algorithms.md#tool-calls), from the calls the batch's samples carry:
/// calls per sample, the share of samples that called, outcomes by status, cut answers, call time. Writes nothing when
/// the batch was sampled without tools. A step extension that only writes metrics.
/// </summary>
public sealed class ToolCallMetrics : IStepExtension
{
    public string Name => "tool_call_metrics";

    public void AfterUpdate(RolloutBatch batch, JsonObject line, CancellationToken ct)
    {
        var samples = batch.Samples.Where(s => s.ToolCalls is not null).ToList();
        if (samples.Count == 0) return;
        var calls = samples.SelectMany(s => s.ToolCalls!).ToList();
        line["tools/calls"] = calls.Count;
        line["tools/calls_per_sample"] = (double)calls.Count / samples.Count;
        line["tools/samples_with_calls"] = (double)samples.Count(s => s.ToolCalls!.Count > 0) / samples.Count;
        line["tools/turns_max"] = samples.Max(s => s.ToolCalls!.Select(c => c.Turn).DefaultIfEmpty(0).Max());
        foreach (var status in Enum.GetValues<ToolCallStatus>())
            line[$"tools/status/{status.ToSnakeCase()}"] = calls.Count(c => c.Status == status);
        line["tools/truncated"] = calls.Count(c => c.Truncated);
        line["tools/seconds_mean"] = calls.Count == 0 ? 0 : calls.Average(c => c.Seconds);
        line["tools/seconds_max"] = calls.Count == 0 ? 0 : calls.Max(c => c.Seconds);
    }
}
