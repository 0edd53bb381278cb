using RlTrainer.Rollout.Sampling;

namespace RlTrainer.Trainer.Contracts;

/// <summary>What one step's rollouts cost, summed over every generation batch (dropped groups included), and how
/// its rows ended: the sampler's own counters (docs/algorithms.md#rollout-accounting).</summary>
public sealed class RolloutCost
{
    public long SampledTokens { get; private set; }
    public long InjectedTokens { get; private set; }
    public long SlotSteps { get; private set; }
    public long DecodeSteps { get; private set; }
    public long Compactions { get; private set; }
    public double GenerationSeconds { get; private set; }
    public double PrefillSeconds { get; private set; }
    public double HookSeconds { get; private set; }
    public int AbortedGroups { get; set; }
    public int TeacherGroups { get; set; }
    public Dictionary<StopReason, int> StopReasons { get; } = new();

    public void Add(GenerationStats stats, IEnumerable<GenerationResult> results)
    {
        SampledTokens += stats.SampledTokens;
        InjectedTokens += stats.InjectedTokens;
        SlotSteps += stats.SlotSteps;
        DecodeSteps += stats.DecodeSteps;
        Compactions += stats.Compactions;
        GenerationSeconds += stats.WallTime.TotalSeconds;
        PrefillSeconds += stats.PrefillTime.TotalSeconds;
        HookSeconds += stats.HookTime.TotalSeconds;
        foreach (var r in results) StopReasons[r.StopReason] = StopReasons.GetValueOrDefault(r.StopReason) + 1;
    }
}
