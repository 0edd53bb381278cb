using RlTrainer.Trainer.Replay;

namespace RlTrainer.Trainer.Tests.Replay;

public class RecapWeightingTests
{
    // Worked example 3 (tools/reference/reweighting_examples_output.txt, example 3): 2W = 20 tracked values per objective, oldest first.
    private static readonly double[] Format =
        { 0.95, 0.97, 0.96, 0.98, 0.97, 0.98, 0.99, 0.98, 0.99, 0.98, 0.99, 0.98, 0.99, 0.99, 0.98, 0.99, 0.99, 0.98, 0.99, 0.99 };
    private static readonly double[] Accuracy =
        { 0.40, 0.35, 0.48, 0.42, 0.38, 0.50, 0.44, 0.41, 0.52, 0.45, 0.47, 0.55, 0.43, 0.58, 0.50, 0.46, 0.60, 0.52, 0.49, 0.57 };
    private static readonly double[] SftNll =
        { 1.20, 1.19, 1.19, 1.18, 1.18, 1.17, 1.17, 1.16, 1.16, 1.15, 1.15, 1.14, 1.14, 1.14, 1.13, 1.13, 1.12, 1.12, 1.12, 1.11 };

    private static RecapWeighting WorkedExample(double? alpha = null)
    {
        var recap = new RecapWeighting(new[] { "format", "accuracy", "sft" },
            new[] { TrackedValueKind.Reward, TrackedValueKind.Reward, TrackedValueKind.Loss }, window: 10, temperature: 5.0, alpha: alpha);
        for (int t = 0; t < 20; t++) recap.Update(new[] { Format[t], Accuracy[t], SftNll[t] });
        return recap;
    }

    // Expected values: tools/reference/recap_reference.py (exact rational window statistics), output committed
    // next to it; they agree with the 4-digit values of reweighting_examples_output.txt (0.9816, 1.0303, 0.9882).
    [Fact]
    public void WorkedExample_SEqualsCPlusI_MatchesReference()
    {
        var recap = WorkedExample();
        Assert.Equal(0.9815635577986541, recap.Lambda[0], 1e-6);
        Assert.Equal(1.0302758367141855, recap.Lambda[1], 1e-6);
        Assert.Equal(0.9881606054871606, recap.Lambda[2], 1e-6);
        var s = recap.Signals!;
        Assert.Equal(0.987, s[0].Current, 1e-9);
        Assert.Equal(0.975, s[0].Old, 1e-9);
        Assert.Equal(0.011192102478745306, s[0].Sigma, 1e-9);
        Assert.Equal(1.1885057471264369, s[1].Convergence, 1e-9);
        Assert.Equal(0.07168178369403415, s[1].Instability, 1e-9);
        Assert.Equal(1.0398230088495575, s[2].Convergence, 1e-9);   // loss: μ̃/μ
        Assert.Equal(0.011681485431174692, s[2].Instability, 1e-9);
        Assert.Equal(1.0515044942807321, s[2].Score, 1e-9);
    }

    [Fact]
    public void WorkedExample_AlphaHalf_MatchesReference()
    {
        var recap = WorkedExample(alpha: 0.5);
        Assert.Equal(0.9907961582220717, recap.Lambda[0], 1e-6);
        Assert.Equal(1.0150837094705296, recap.Lambda[1], 1e-6);
        Assert.Equal(0.9941201323073987, recap.Lambda[2], 1e-6);
    }

    [Fact]
    public void WarmUp_LambdaIsOneUntil2WSteps_ThenMoves()
    {
        var recap = new RecapWeighting(new[] { "format", "accuracy", "sft" },
            new[] { TrackedValueKind.Reward, TrackedValueKind.Reward, TrackedValueKind.Loss });
        for (int t = 0; t < 19; t++)
        {
            recap.Update(new[] { Format[t], Accuracy[t], SftNll[t] });
            Assert.All(recap.Lambda, l => Assert.Equal(1.0, l));
            Assert.Null(recap.Signals);
        }
        recap.Update(new[] { Format[19], Accuracy[19], SftNll[19] });
        Assert.NotNull(recap.Signals);
        Assert.NotEqual(1.0, recap.Lambda[1]);
    }

    [Fact]
    public void LambdaSumsToK_EveryStep_AndWindowSlides()
    {
        var rng = new Random(5);
        var recap = new RecapWeighting(new[] { "a", "b", "c", "d" },
            new[] { TrackedValueKind.Reward, TrackedValueKind.Loss, TrackedValueKind.Reward, TrackedValueKind.Loss }, window: 3, temperature: 0.7);
        for (int t = 0; t < 40; t++)
        {
            recap.Update(Enumerable.Range(0, 4).Select(_ => 0.1 + rng.NextDouble()).ToArray());
            Assert.Equal(4.0, recap.Lambda.Sum(), 1e-12);
        }
        // After 40 steps only the last 6 values count: a run fed those 6 alone ends with the same weights.
        var rng2 = new Random(5);
        var all = Enumerable.Range(0, 40).Select(_ => Enumerable.Range(0, 4).Select(_ => 0.1 + rng2.NextDouble()).ToArray()).ToList();
        var fresh = new RecapWeighting(recap.Names, new[] { TrackedValueKind.Reward, TrackedValueKind.Loss, TrackedValueKind.Reward, TrackedValueKind.Loss }, window: 3, temperature: 0.7);
        foreach (var v in all.Skip(34)) fresh.Update(v);
        for (int k = 0; k < 4; k++) Assert.Equal(recap.Lambda[k], fresh.Lambda[k], 1e-12);
    }

    [Fact]
    public void ObjectiveThatStopsMoving_LosesWeight_ToOneThatImproves()
    {
        // "stalled" is flat (c = 1, i = 0); "improving" is a loss that keeps dropping (c > 1).
        var recap = new RecapWeighting(new[] { "stalled", "improving" }, new[] { TrackedValueKind.Reward, TrackedValueKind.Loss }, window: 5);
        for (int t = 0; t < 10; t++) recap.Update(new[] { 0.8, 2.0 - 0.1 * t });
        Assert.True(recap.Lambda[0] < 1.0 && recap.Lambda[1] > 1.0, $"λ = ({recap.Lambda[0]}, {recap.Lambda[1]})");
        // By hand: c = μ̃/μ = 1.8/1.3, i = σ/(μ+μ̃), σ = 0.1·sd(0..9) = 0.1·√(55/6); λ_1 = 2/(1+exp((s_0−s_1)/5)).
        double i = 0.1 * Math.Sqrt(55.0 / 6) / (1.3 + 1.8 + 1e-8);
        double s1 = 1.8 / 1.3 + i;
        Assert.Equal(2 / (1 + Math.Exp((1.0 - s1) / 5)), recap.Lambda[1], 1e-12);
    }

    [Fact]
    public void NoisyObjective_GainsWeight_OverASteadyOne()
    {
        // Same means in both windows (c = 1): only the noise differs, so the noisy one's i > 0 wins weight.
        var recap = new RecapWeighting(new[] { "steady", "noisy" }, new[] { TrackedValueKind.Reward, TrackedValueKind.Reward }, window: 4);
        double[] noisy = { 0.2, 0.8, 0.2, 0.8, 0.2, 0.8, 0.2, 0.8 };
        for (int t = 0; t < 8; t++) recap.Update(new[] { 0.5, noisy[t] });
        Assert.True(recap.Lambda[1] > recap.Lambda[0]);
        // σ of eight alternating ±0.3 values (unbiased) = 0.3·√(8/7); i = σ / (0.5 + 0.5 + ε).
        double i = 0.3 * Math.Sqrt(8.0 / 7) / (1.0 + 1e-8);
        Assert.Equal(2 / (1 + Math.Exp(-i / 5)), recap.Lambda[1], 1e-12);
    }

    [Fact]
    public void SaveThenLoad_ContinuesExactlyAsWithoutInterruption()
    {
        var kinds = new[] { TrackedValueKind.Reward, TrackedValueKind.Reward, TrackedValueKind.Loss };
        var straight = WorkedExample();
        straight.Update(new[] { 0.99, 0.61, 1.10 });
        var first = new RecapWeighting(new[] { "format", "accuracy", "sft" }, kinds);
        for (int t = 0; t < 20; t++) first.Update(new[] { Format[t], Accuracy[t], SftNll[t] });
        var json = first.SaveState().ToJsonString();
        var second = new RecapWeighting(new[] { "format", "accuracy", "sft" }, kinds);
        second.LoadState(System.Text.Json.Nodes.JsonNode.Parse(json));
        Assert.Equal(first.Lambda, second.Lambda);
        second.Update(new[] { 0.99, 0.61, 1.10 });
        Assert.Equal(straight.Lambda, second.Lambda);
        Assert.Equal(21, second.Steps);
    }

    [Fact]
    public void LoadState_ForOtherObjectives_NamesBothLists()
    {
        var a = new RecapWeighting(new[] { "main", "general" }, new[] { TrackedValueKind.Reward, TrackedValueKind.Loss });
        a.Update(new[] { 0.5, 1.0 });
        var b = new RecapWeighting(new[] { "main", "other" }, new[] { TrackedValueKind.Reward, TrackedValueKind.Loss });
        var e = Assert.Throws<InvalidDataException>(() => b.LoadState(a.SaveState()));
        Assert.Contains("general", e.Message);
        Assert.Contains("other", e.Message);
    }

    [Fact]
    public void NonFiniteValue_IsRejected_NamingTheObjective()
    {
        var recap = new RecapWeighting(new[] { "main", "general" }, new[] { TrackedValueKind.Reward, TrackedValueKind.Loss });
        var e = Assert.Throws<ArgumentException>(() => recap.Update(new[] { 0.5, double.NaN }));
        Assert.Contains("general", e.Message);
    }
}
