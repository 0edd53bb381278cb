using System.Text.Json.Nodes;
using RlTrainer.Rollout.Sampling;
using RlTrainer.Trainer.Contracts;

namespace RlTrainer.Trainer.Training;

/// <summary>
/// The rollout cost keys of metrics.jsonl (docs/algorithms.md#rollout-accounting), per step and cumulative: <c>rollout/…</c> for what
/// generation cost (sampled and injected tokens, slot-steps, decode steps, generation time) and <c>pruning/…</c> for
/// how rows ended. The running totals are checkpointed, so a resumed run continues them. A step extension that only
/// writes metrics.
/// </summary>
public sealed class RolloutAccounting : IStepExtension
{
    private readonly SortedDictionary<string, double> _totals = new(StringComparer.Ordinal);

    public string Name => "rollout_accounting";

    public void AfterUpdate(RolloutBatch batch, JsonObject line, CancellationToken ct) => AddTo(line, batch.Cost);

    /// <summary>Adds the step's keys (and updated totals, prefixed <c>cum_</c>) to a metrics line.</summary>
    public void AddTo(JsonObject line, RolloutCost cost)
    {
        var step = new Dictionary<string, double>
        {
            ["rollout/sampled_tokens"] = cost.SampledTokens,
            ["rollout/injected_tokens"] = cost.InjectedTokens,
            // Every token that took a decode slot: what the engine paid, not what was kept.
            ["rollout/forward_tokens"] = cost.SampledTokens + cost.InjectedTokens,
            ["rollout/slot_steps"] = cost.SlotSteps,
            ["rollout/decode_steps"] = cost.DecodeSteps,
            ["rollout/compactions"] = cost.Compactions,
            ["rollout/generation_seconds"] = cost.GenerationSeconds,
            ["rollout/prefill_seconds"] = cost.PrefillSeconds,
            ["rollout/hook_seconds"] = cost.HookSeconds,
            ["pruning/aborted_groups"] = cost.AbortedGroups,
            ["pruning/teacher_groups"] = cost.TeacherGroups,
        };
        foreach (var reason in Enum.GetValues<StopReason>())
            step[$"pruning/stop/{reason.ToSnakeCase()}"] = cost.StopReasons.GetValueOrDefault(reason);
        foreach (var (key, value) in step)
        {
            line[key] = value;
            var slash = key.IndexOf('/');
            var total = key[..(slash + 1)] + "cum_" + key[(slash + 1)..];
            _totals[total] = _totals.GetValueOrDefault(total) + value;
            line[total] = _totals[total];
        }
    }

    public JsonNode? SaveState()
    {
        var o = new JsonObject();
        foreach (var (k, v) in _totals) o[k] = v;
        return o;
    }

    public void LoadState(JsonNode? state)
    {
        _totals.Clear();
        if (state is not JsonObject o) return;
        foreach (var (k, v) in o)
            if (v is JsonValue value && value.TryGetValue<double>(out var d)) _totals[k] = d;
    }
}
