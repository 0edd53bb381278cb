using Microsoft.Extensions.Configuration;
using RlTrainer.Trainer.Cli;
using RlTrainer.Trainer.Hosting;
using RlTrainer.Trainer.Objectives;

namespace RlTrainer.Trainer.Tests.Objectives;

public class GroupAdvantageOptionsTests
{
    private static IConfiguration Config(params (string Key, string Value)[] pairs) => new ConfigurationBuilder()
        .AddInMemoryCollection(pairs.Select(p => KeyValuePair.Create(p.Key, (string?)p.Value))).Build();

    [Fact]
    public void NormalizationAndTmn_BindUnderAlgorithmAdvantage()
    {
        var o = Config(("Algorithm:Advantage:Normalization", "Tmn"), ("Algorithm:Advantage:Tmn:Gamma", "2"))
            .GetSection(TrainCommand.RunSections().PathOf<GroupAdvantageOptions>()).Get<GroupAdvantageOptions>()!;
        Assert.Equal(AdvantageNormalization.Tmn, o.Normalization);
        Assert.Equal((0.8, 2.0, 1e-6, true), (o.Tmn.Alpha, o.Tmn.Gamma, o.Tmn.Epsilon, o.Tmn.DifficultyReweight));
        Assert.Equal(AdvantageNormalization.Group, new GroupAdvantageOptions().Normalization);
    }

    [Fact]
    public void TmnKeys_AreCheckedLikeEveryOtherKey()
    {
        Assert.Equal(new[] { "Algorithm:Advantage:Tmn:Alfa: unknown key; did you mean Algorithm:Advantage:Tmn:Alpha?" },
            ConfigurationKeyCheck.Failures(Config(("Algorithm:Advantage:Tmn:Alfa", "0.5")), TrainCommand.RunSections()));
        var result = new AnnotatedOptionsValidator<GroupAdvantageOptions>("Algorithm:Advantage")
            .Validate(null, new GroupAdvantageOptions { Tmn = new TmnOptions { Alpha = 1.5 } });
        Assert.True(result.Failed);
        Assert.StartsWith("Algorithm:Advantage:Tmn:Alpha = 1.5: ", Assert.Single(result.Failures!));
    }
}
