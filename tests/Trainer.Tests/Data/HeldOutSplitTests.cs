using RlTrainer.Rollout.Tokenization;
using RlTrainer.Trainer.Data;

namespace RlTrainer.Trainer.Tests.Data;

public sealed class HeldOutSplitTests
{
    private static List<RlExample> Numbered(int count) =>
        Enumerable.Range(0, count).Select(i => new RlExample([new ChatMessage("user", $"What is {i} + 1?")], $"{i + 1}", "t")).ToList();

    [Fact]
    public void Split_IsDisjointAndCoversEveryRow_WithRoughlyTheFraction()
    {
        var examples = Numbered(4000);

        var (train, heldOut) = HeldOutSplit.Split(examples, 0.2, seed: 1);

        Assert.Equal(examples.Count, train.Count + heldOut.Count);
        Assert.Empty(train.Intersect(heldOut, ReferenceEqualityComparer.Instance));
        Assert.Equal(examples.Select(e => e.GroundTruth).Order(), train.Concat(heldOut).Select(e => e.GroundTruth).Order());
        // Binomial(4000, 0.2): mean 800, sd ≈ 25; ±100 is four standard deviations.
        Assert.InRange(heldOut.Count, 700, 900);
    }

    [Fact]
    public void Split_IsFixedBySeed_AndKeysOnContentNotPosition()
    {
        var examples = Numbered(500);
        var shuffled = examples.OrderBy(e => e.GroundTruth, StringComparer.Ordinal).ToList();

        var first = HeldOutSplit.Split(examples, 0.3, seed: 4).HeldOut.Select(e => e.GroundTruth).ToHashSet();
        var again = HeldOutSplit.Split(shuffled, 0.3, seed: 4).HeldOut.Select(e => e.GroundTruth).ToHashSet();
        var other = HeldOutSplit.Split(examples, 0.3, seed: 5).HeldOut.Select(e => e.GroundTruth).ToHashSet();

        Assert.True(first.SetEquals(again));
        Assert.False(first.SetEquals(other));
    }

    [Fact]
    public void ZeroFraction_HoldsNothingOut() =>
        Assert.Empty(HeldOutSplit.Split(Numbered(50), 0, seed: 4).HeldOut);

    [Fact]
    public void FractionOutOfRange_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => HeldOutSplit.IsHeldOut(Numbered(1)[0], 1.0, seed: 0));
}
