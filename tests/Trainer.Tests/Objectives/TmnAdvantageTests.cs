using RlTrainer.Trainer.Objectives;

namespace RlTrainer.Trainer.Tests.Objectives;

/// Worked example 4 of tools/reference/reweighting_examples.py (G = 4, α = 0.8, γ = 1): expected values from an independent double-precision
/// evaluation of the formulas (docs/algorithms.md#tmn-advantages); reweighting_examples_output.txt prints them to three decimals.
public class TmnAdvantageTests
{
    private static readonly double[] Rewards = { 1, 0, 0, 0, 1, 1, 1, 0, 0.30, 0.35, 0.40, 0.45, 0.60, 0.62, 0.58, 0.60 };
    private static readonly string[] Tasks = Enumerable.Repeat("accuracy", 8).Concat(Enumerable.Repeat("f1", 8)).ToArray();

    [Fact]
    public void WorkedExample4_TmnWithDifficultyReweight()
    {
        var r = TmnAdvantage.Compute(Rewards, 4, Tasks, new TmnOptions());
        Assert.Equal(0.5, r.TaskScales["accuracy"], 1e-12);                    // sqrt(mean(0.25, 0.25))
        Assert.Equal(0.04708148963941846, r.TaskScales["f1"], 1e-9);           // sqrt(mean(0.004167, 0.000267)) = 0.0471
        var expected = new[]
        {
            1.926034272963066, -0.38939961273647694, -0.38939961273647694, -0.38939961273647694,   // A1 [1.926, −.389 ×3]
            0.38939961273647694, 0.38939961273647694, 0.38939961273647694, -1.926034272963066,     // A2
            -1.5929488982929305, -0.5309829660976432, 0.5309829660976455, 1.592948898292933,      // B1 unchanged (p = 0.5)
            0.0, 0.2576459589787001, -0.700354328467705, 0.0,                                       // B2 [0, .258, −.700, 0]
        };
        for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], r.Advantages[i], 1e-6);
        // Pass rates 0.25, 0.75, 0.5, 1.0. Weights above 1: A1's positive, A2's negative, and B2's three samples not
        // above its mean (w⁻ = 1.649, the two at the mean included): 5 of 16.
        Assert.Equal((0.25 + 0.75 + 0.5 + 1.0) / 4, r.MeanPassRate, 1e-12);
        Assert.Equal(5.0 / 16, r.FractionWeightAboveOne, 1e-12);
    }

    [Fact]
    public void WorkedExample4_TmnWithoutReweight_SharesTheTaskScale()
    {
        var r = TmnAdvantage.Compute(Rewards, 4, Tasks, new TmnOptions { DifficultyReweight = false });
        var expected = new[] { 1.499997000006, -0.499999000002, -0.499999000002, -0.499999000002 };   // TMN A1 [1.5, −.5, ...]
        for (int i = 0; i < 4; i++) Assert.Equal(expected[i], r.Advantages[i], 1e-6);
        Assert.Equal(new[] { 0.0, 0.42478637287811544, -0.42478637287811544, 0.0 }[1], r.Advantages[13], 1e-6);   // B2: ±0.425, not GRPO's ±1.225
        Assert.Equal(-1.5929488982929305, r.Advantages[8], 1e-6);
        Assert.True(double.IsNaN(r.MeanPassRate));
    }

    [Fact]
    public void UnscorableRewards_GetZero_AndStayOutOfTheStatistics()
    {
        // Prompt 2 has a NaN: its mean is over (1, 0, 0); prompt 1 is the same as without it.
        var rewards = new[] { 1.0, 0, 0, 0, 1, 0, 0, double.NaN };
        var tasks = Enumerable.Repeat("t", 8).ToArray();
        var r = TmnAdvantage.Compute(rewards, 4, tasks, new TmnOptions { DifficultyReweight = false, Epsilon = 0 });
        // Variances 0.25 and 1/3: scale sqrt((0.25 + 1/3) / 2).
        double scale = Math.Sqrt((0.25 + 1.0 / 3) / 2);
        Assert.Equal(0.75 / scale, r.Advantages[0], 1e-12);
        Assert.Equal((1 - 1.0 / 3) / scale, r.Advantages[4], 1e-12);
        Assert.Equal(0.0, r.Advantages[7]);
    }

    [Fact]
    public void BadShapes_Throw()
    {
        Assert.Throws<ArgumentException>(() => TmnAdvantage.Compute(new double[6], 4, new string[6], new TmnOptions()));
        Assert.Throws<ArgumentException>(() => TmnAdvantage.Compute(new double[4], 4, new string[3], new TmnOptions()));
    }
}
