using RlTrainer.Rewards.Weighting;

namespace RlTrainer.Rewards.Tests.Weighting;

/// Worked example 1a (tools/reference/reweighting_examples_output.txt): acc ↑, length ↓, format ↑.
public class HypervolumeWeightingTests
{
    private static HypervolumeWeighting ExampleWeighting() => new(new HypervolumeWeightingOptions
    {
        TrackedComponents = new[]
        {
            new TrackedComponent("accuracy", ComponentDirection.Maximize),
            new TrackedComponent("length", ComponentDirection.Minimize),
            new TrackedComponent("format", ComponentDirection.Maximize),
        },
    });

    [Fact]
    public void WorkedExample1a_ThreeSteps()
    {
        var w = ExampleWeighting();
        Assert.Equal(1.0, w.MetaReward);
        Assert.Equal(0.0, w.Observe(new[] { 0.80, 1200.0, 0.50 }));   // reference: the initial model
        Assert.Equal(1.0, w.MetaReward);

        // 0.5 + 1.5·tanh(0.05) and 0.5 + 1.5·tanh(0.075), values from an independent double-precision evaluation;
        // reweighting_examples_output.txt prints them rounded: dHV 0.0500 / 0.0750 / 0, r 0.5749 / 0.6123 / 0.5000.
        Assert.Equal(0.05, w.Observe(new[] { 0.82, 1150.0, 0.55 }), 1e-9);
        Assert.Equal(0.5749375624368199, w.MetaReward, 1e-9);
        Assert.Equal(0.5749, w.MetaReward, 4e-5);
        Assert.Equal(2, w.Buffer.Points.Count);

        Assert.Equal(0.075, w.Observe(new[] { 0.81, 1100.0, 0.60 }), 1e-9);
        Assert.Equal(0.6122895360312486, w.MetaReward, 1e-9);
        Assert.Equal(0.6123, w.MetaReward, 5e-5);
        Assert.Equal(3, w.Buffer.Points.Count);

        Assert.Equal(0.0, w.Observe(new[] { 0.80, 1160.0, 0.52 }));   // accuracy not above the reference
        Assert.Equal(0.5, w.MetaReward, 1e-12);
        Assert.Equal(3, w.Buffer.Points.Count);                        // final buffer: ref, p1, p2
        Assert.Equal(new[] { 0.81, 1100.0, 0.60 }, w.Buffer.Points[2]);
    }

    [Fact]
    public void MetaReward_LiesInHalfToTwo()
    {
        var w = ExampleWeighting();
        Assert.Equal(0.5, w.MetaRewardOf(0));
        Assert.True(w.MetaRewardOf(1e9) <= 2.0 && w.MetaRewardOf(1e9) > 1.999);
        // r ≥ 1 needs ΔHV ≥ atanh(1/3) ≈ 0.347 (caveat 2).
        Assert.Equal(1.0, w.MetaRewardOf(Math.Log(2) / 2), 1e-12);
    }

    [Fact]
    public void Restore_ContinuesAsIfNeverStopped()
    {
        var a = ExampleWeighting();
        a.Observe(new[] { 0.80, 1200.0, 0.50 });
        a.Observe(new[] { 0.82, 1150.0, 0.55 });
        var b = ExampleWeighting();
        b.Restore(a.Buffer.Points, a.MetaReward, a.LastGain);
        Assert.Equal(a.Observe(new[] { 0.81, 1100.0, 0.60 }), b.Observe(new[] { 0.81, 1100.0, 0.60 }));
        Assert.Equal(a.MetaReward, b.MetaReward);
    }
}
