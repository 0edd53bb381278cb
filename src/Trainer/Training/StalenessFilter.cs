using RlTrainer.Trainer.Contracts;

namespace RlTrainer.Trainer.Training;

/// <summary>
/// The staleness bound of asynchronous rollouts: a sample's staleness is the learner's version (steps completed) minus
/// the version that sampled it; groups holding a sample older than k versions are never trained on. Whole groups go,
/// so the group advantages of what is kept are those of complete groups.
/// </summary>
public static class StalenessFilter
{
    /// <param name="learnerVersion">Steps the learner has completed when the batch trains.</param>
    /// <returns>The kept batch (groups renumbered 0…), the staleness of each kept sample, the samples dropped.</returns>
    public static (RolloutBatch Kept, int[] Staleness, int Dropped) Apply(RolloutBatch batch, int learnerVersion, int maxStaleness)
    {
        var kept = new List<RolloutSample>(batch.Samples.Count);
        int dropped = 0;
        foreach (var group in batch.Samples.GroupBy(s => s.Group))
        {
            var samples = group.ToList();
            if (samples.Any(s => learnerVersion - s.WeightVersion > maxStaleness)) { dropped += samples.Count; continue; }
            int renumbered = kept.Count == 0 ? 0 : kept[^1].Group + 1;
            kept.AddRange(samples.Select(s => s.Group == renumbered ? s : s with { Group = renumbered }));
        }
        var staleness = kept.Select(s => learnerVersion - s.WeightVersion).ToArray();
        return (dropped == 0 ? batch : batch with { Samples = kept }, staleness, dropped);
    }
}
