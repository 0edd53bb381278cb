using RlTrainer.Trainer.Objectives;
using RlTrainer.Trainer.Training;
using RlTrainer.Trainer.Contracts;

namespace RlTrainer.Trainer.Tests.Training;

public class AdvantageEstimatorTests
{
    private static RolloutBatch Batch(double[] rewards, string source = "s") => new()
    {
        Samples = rewards.Select((r, i) => new RolloutSample
        {
            Group = i / 4, PromptIds = [1], CompletionIds = [2], BehaviourLogProbs = [0f], Reward = r, Components = [r], DataSource = source,
        }).ToList(),
        GroupSize = 4,
        ComponentNames = ["r"],
    };

    [Fact]
    public void WorkedExample1b_GroupAdvantagesIgnoreABatchWideRewardScale_SoRParetoActsOnAdvantages()
    {
        // GRPO with ε = 1e-6 on [0.667, 0.333, 1.0, 0.0]: [0.388, −0.388, 1.1617, −1.1617] for r, 0.5·r and 2·r alike.
        // By hand: mean 0.5, deviations ±0.167 and ±0.5, unbiased std sqrt((2 · 0.167² + 2 · 0.5²) / 3).
        double[] r = { 0.667, 0.333, 1.0, 0.0 };
        double std = Math.Sqrt((2 * 0.167 * 0.167 + 2 * 0.25) / 3);
        var estimator = new AdvantageEstimator(new GroupAdvantageOptions { Epsilon = 1e-6 });
        var expected = r.Select(x => (x - 0.5) / (std + 1e-6)).ToArray();
        Assert.Equal(0.388, expected[0], 5e-4);
        Assert.Equal(1.1617, expected[2], 5e-5);
        foreach (var scale in new[] { 1.0, 0.5, 2.0 })
        {
            var a = estimator.Compute(Batch(r.Select(x => x * scale).ToArray()));
            for (int i = 0; i < 4; i++) Assert.Equal(expected[i], a[i], 1e-5);   // ε breaks exact invariance at 1e-6·|A|
        }
        // The trainer's r_pareto multiplies the normalised advantages instead, so it does change the update.
        var scaled = estimator.Compute(Batch(r) with { AdvantageScale = 0.5749375624368199 });
        for (int i = 0; i < 4; i++) Assert.Equal(expected[i] * 0.5749375624368199, scaled[i], 1e-6);
    }

    [Fact]
    public void Tmn_UsesTheDataSourceAsTask()
    {
        var estimator = new AdvantageEstimator(new GroupAdvantageOptions { Normalization = AdvantageNormalization.Tmn, Tmn = new TmnOptions { DifficultyReweight = false } });
        var a = estimator.Compute(Batch(new[] { 1.0, 0, 0, 0 }, "arith"));
        Assert.Equal(0.75 / (0.5 + 1e-6), a[0], 1e-12);
        Assert.Equal(0.5, estimator.LastTmn!.TaskScales["arith"], 1e-12);
    }

    [Fact]
    public void Normalization_SelectsTheEstimator()
    {   // rewards [1, 0, 0, 0]: group (1 − 0.25)/(0.5 + 1e-4); RLOO 1 − 0 = 1 and 0 − 1/3
        var rewards = Batch(new[] { 1.0, 0, 0, 0 });
        double[] Advantages(AdvantageNormalization n) => new AdvantageEstimator(new GroupAdvantageOptions { Normalization = n }).Compute(rewards);
        Assert.Equal(0.75 / (0.5 + 1e-4), Advantages(AdvantageNormalization.Group)[0], 1e-12);
        Assert.Equal(new[] { 1.0, -1.0 / 3, -1.0 / 3, -1.0 / 3 }, Advantages(AdvantageNormalization.Rloo));
        Assert.Equal(0.75 / (0.5 + 1e-6) * Math.Exp(0.5 - 0.25), Advantages(AdvantageNormalization.Tmn)[0], 1e-9);
    }
}
