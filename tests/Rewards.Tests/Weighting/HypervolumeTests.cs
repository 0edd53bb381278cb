using RlTrainer.Rewards.Weighting;

namespace RlTrainer.Rewards.Tests.Weighting;

public class HypervolumeTests
{
    [Fact]
    public void OnePoint_IsTheBoxVolume()
    {
        // (0.82 − 0.80) · (−1150 − (−1200)) · (0.55 − 0.50) = 0.02 · 50 · 0.05, worked example 1a step 1 (tools/reference/reweighting_examples_output.txt).
        var hv = Hypervolume.Compute(new[] { new[] { 0.82, -1150.0, 0.55 } }, new[] { 0.80, -1200.0, 0.50 });
        Assert.Equal(0.05, hv, 1e-12);
    }

    [Fact]
    public void TwoOverlappingBoxes_AreCountedOnce()
    {
        // Boxes 0.02·50·0.05 = 0.05 and 0.01·100·0.1 = 0.1 overlap in 0.01·50·0.05 = 0.025: union 0.125 (example 1a step 2).
        var points = new[] { new[] { 0.82, -1150.0, 0.55 }, new[] { 0.81, -1100.0, 0.60 } };
        Assert.Equal(0.125, Hypervolume.Compute(points, new[] { 0.80, -1200.0, 0.50 }), 1e-12);
    }

    [Fact]
    public void TwoDimensionalStaircase_MatchesHandArea()
    {
        // Staircase of (1,3), (2,2), (3,1) over (0,0): 3 + 2 + 1 = 6; the dominated (1,1) adds nothing.
        var points = new[] { new[] { 2.0, 2.0 }, new[] { 1.0, 3.0 }, new[] { 3.0, 1.0 }, new[] { 1.0, 1.0 } };
        Assert.Equal(6.0, Hypervolume.Compute(points, new[] { 0.0, 0.0 }), 1e-12);
    }

    [Fact]
    public void PointsNotBeyondTheReference_AddNothing()
    {
        // Worse than the reference in one coordinate: clipped to it, so zero volume (not negative, caveat 3).
        Assert.Equal(0.0, Hypervolume.Compute(new[] { new[] { 0.80, -1160.0, 0.52 } }, new[] { 0.80, -1200.0, 0.50 }));
        Assert.Equal(0.0, Hypervolume.Compute(new[] { new[] { -1.0 } }, new[] { 0.0 }));
        Assert.Equal(0.0, Hypervolume.Compute(Array.Empty<double[]>(), new[] { 0.0, 0.0 }));
    }

    [Fact]
    public void Ties_InTheFirstCoordinate()
    {
        // (2,1) and (2,3) share x: the slab 0..2 has height 3 → 6.
        var points = new[] { new[] { 2.0, 1.0 }, new[] { 2.0, 3.0 } };
        Assert.Equal(6.0, Hypervolume.Compute(points, new[] { 0.0, 0.0 }), 1e-12);
    }

    [Fact]
    public void MismatchedDimensions_Throw() =>
        Assert.Throws<ArgumentException>(() => Hypervolume.Compute(new[] { new[] { 1.0 } }, new[] { 0.0, 0.0 }));
}
