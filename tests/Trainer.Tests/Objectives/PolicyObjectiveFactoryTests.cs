using Microsoft.Extensions.Configuration;
using RlTrainer.Trainer.Cli;
using RlTrainer.Trainer.Objectives;

namespace RlTrainer.Trainer.Tests.Objectives;

public class PolicyObjectiveFactoryTests
{
    [Fact]
    public void Create_Default_IsEss()
    {
        var o = PolicyObjectiveFactory.Create(new ObjectiveOptions(), new EssOptions(), new GrpoOptions());
        Assert.IsType<EssAdaptiveObjective>(o);
        Assert.Equal(ObjectiveKind.Ess, o.Kind);
        Assert.False(o.NeedsReferenceLogProbs);
    }

    [Fact]
    public void Create_Grpo_IsClippedSurrogate()
    {
        var o = PolicyObjectiveFactory.Create(new ObjectiveOptions { Kind = ObjectiveKind.Grpo }, new EssOptions(), new GrpoOptions { Beta = 0.04 });
        Assert.IsType<ClippedSurrogateObjective>(o);
        Assert.True(o.NeedsReferenceLogProbs);
    }

    [Fact]
    public void Create_OutOfRangeOption_ThrowsNamingSectionFieldAndValue()
    {
        var ex = Assert.Throws<ArgumentException>(() =>
            PolicyObjectiveFactory.Create(new ObjectiveOptions { Kind = ObjectiveKind.Grpo }, new EssOptions(), new GrpoOptions { Epsilon = 1.5 }));
        Assert.Contains("Algorithm:Grpo:Epsilon = 1.5", ex.Message);
        var bad = Assert.Throws<ArgumentException>(() =>
            PolicyObjectiveFactory.Create(new ObjectiveOptions { Kind = (ObjectiveKind)7 }, new EssOptions(), new GrpoOptions()));
        Assert.Contains("Algorithm:Kind = 7", bad.Message);
    }

    [Fact]
    public void GrpoOptions_LossTypes_MapToTrlAggregations()
    {   // docs/algorithms.md#loss-normalisation
        Assert.Equal(LossAggregation.SeqMeanTokenMean, new GrpoOptions { LossType = GrpoLossType.Grpo }.Aggregation);
        Assert.Equal(LossAggregation.LocalTokenMean, new GrpoOptions { LossType = GrpoLossType.Bnpo }.Aggregation);
        Assert.Equal(LossAggregation.ConstantNorm, new GrpoOptions { LossType = GrpoLossType.DrGrpo }.Aggregation);
        Assert.Equal(LossAggregation.GlobalTokenMean, new GrpoOptions().Aggregation);   // TRL default loss_type "dapo"
        Assert.Equal(0.2, new GrpoOptions().EffectiveEpsilonHigh);                    // epsilon_high None → epsilon
    }

    [Fact]
    public void Options_BindFromConfigurationSections()
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Algorithm:Kind"] = "Grpo",
            ["Algorithm:Grpo:LossType"] = "DrGrpo",
            ["Algorithm:Grpo:EpsilonHigh"] = "0.28",
            ["Algorithm:Grpo:ImportanceSamplingLevel"] = "Sequence",
            ["Algorithm:Advantage:ScaleRewards"] = "None",
            ["Algorithm:Ess:KlCoefficient"] = "0.05",
        }).Build();
        // The paths the host binds (ObjectiveOptions.Section is the "Algorithm" that holds the others).
        T Bind<T>() => config.GetSection(TrainCommand.RunSections().PathOf<T>()).Get<T>()!;
        var objective = Bind<ObjectiveOptions>();
        var grpo = Bind<GrpoOptions>();
        var adv = Bind<GroupAdvantageOptions>();
        var ess = Bind<EssOptions>();
        Assert.Equal("Algorithm", ObjectiveOptions.Section);
        Assert.Equal(ObjectiveKind.Grpo, objective.Kind);
        Assert.Equal((GrpoLossType.DrGrpo, 0.28, ImportanceSamplingLevel.Sequence), (grpo.LossType, grpo.EffectiveEpsilonHigh, grpo.ImportanceSamplingLevel));
        Assert.Equal(0.2, grpo.Epsilon);
        Assert.Equal(ScaleRewards.None, adv.ScaleRewards);
        Assert.Equal(1e-4, adv.Epsilon);
        Assert.Equal(0.05, ess.KlCoefficient);
    }
}
