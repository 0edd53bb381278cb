using RlTrainer.Rewards.Weighting;

namespace RlTrainer.Rewards.Tests.Weighting;

public class ParetoBufferTests
{
    [Fact]
    public void MinimisedCoordinates_AreNegated()
    {
        // Length 100 → 60 tokens (minimised) with accuracy 0.5 → 0.7: box 0.2 · 40 = 8.
        var buffer = new ParetoBuffer(new[] { ComponentDirection.Maximize, ComponentDirection.Minimize });
        buffer.SetReference(new[] { 0.5, 100.0 });
        Assert.Equal(8.0, buffer.Offer(new[] { 0.7, 60.0 }), 1e-12);
        // A longer completion is worse than the reference: no gain, not kept.
        Assert.Equal(0.0, buffer.Offer(new[] { 0.9, 120.0 }));
        Assert.Equal(2, buffer.Points.Count);
    }

    [Fact]
    public void DominatedPoint_GainsNothing()
    {
        var buffer = new ParetoBuffer(new[] { ComponentDirection.Maximize, ComponentDirection.Maximize });
        buffer.SetReference(new[] { 0.0, 0.0 });
        buffer.Offer(new[] { 2.0, 2.0 });
        Assert.Equal(0.0, buffer.Gain(new[] { 1.0, 1.5 }));
        Assert.Equal(2.0, buffer.Gain(new[] { 3.0, 2.0 }), 1e-12);        // extends the box by 1 × 2
    }

    [Fact]
    public void GainWithoutReference_Throws() =>
        Assert.Throws<InvalidOperationException>(() => new ParetoBuffer(new[] { ComponentDirection.Maximize }).Gain(new[] { 1.0 }));
}
