using RlTrainer.Trainer.Contracts;
using RlTrainer.Trainer.Training;

namespace RlTrainer.Trainer.Tests.Training;

public sealed class StalenessFilterTests
{
    /// Groups of two samples, group g sampled by version versions[g].
    internal static RolloutBatch Batch(params int[] versions) => new()
    {
        GroupSize = 2,
        Samples = versions.SelectMany((v, g) => Enumerable.Range(0, 2).Select(i => new RolloutSample
        {
            Group = g, PromptIds = [g], CompletionIds = [i], BehaviourLogProbs = [0f], Reward = g, WeightVersion = v,
        })).ToList(),
    };

    [Fact]
    public void GroupsOlderThanK_AreDroppedAndCounted_TheRestRenumbered()
    {
        // Learner at version 5, k = 1: staleness 0, 2, 1 -> the middle group goes.
        var (kept, staleness, dropped) = StalenessFilter.Apply(Batch(5, 3, 4), learnerVersion: 5, maxStaleness: 1);
        Assert.Equal(2, dropped);
        Assert.Equal([0, 0, 1, 1], staleness);
        Assert.Equal([0, 0, 1, 1], kept.Samples.Select(s => s.Group));
        Assert.Equal([0.0, 0, 2, 2], kept.Samples.Select(s => s.Reward)); // the third group, now group 1
    }

    [Fact]
    public void ABatchWithinTheBound_IsHandedOnAsItIs()
    {
        var batch = Batch(2, 1);
        var (kept, staleness, dropped) = StalenessFilter.Apply(batch, learnerVersion: 3, maxStaleness: 2);
        Assert.Same(batch, kept);
        Assert.Equal(0, dropped);
        Assert.Equal([1, 1, 2, 2], staleness);
    }
}
