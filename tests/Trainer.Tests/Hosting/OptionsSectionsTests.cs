using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using RlTrainer.Trainer.Cli;
using RlTrainer.Trainer.Hosting;
using RlTrainer.Trainer.Training;

namespace RlTrainer.Trainer.Tests.Hosting;

public sealed class OptionsSectionsTests
{
    [Fact]
    public void Of_KeepsOneRegistryInTheCollection_ThatTheProviderServes()
    {
        var services = new ServiceCollection();
        var sections = OptionsSections.Of(services);
        Assert.Same(sections, OptionsSections.Of(services));
        Assert.Single(services, d => d.ServiceType == typeof(OptionsSections));
        using var provider = services.BuildServiceProvider();
        Assert.Same(sections, provider.GetRequiredService<OptionsSections>());
    }

    [Fact]
    public void AClassOrAPathBoundTwice_IsAWiringError()
    {
        var services = new ServiceCollection();
        services.AddOptionsSection<ModelOptions>("Model");
        Assert.Throws<InvalidOperationException>(() => services.AddOptionsSection<ModelOptions>("Policy"));
        Assert.Throws<InvalidOperationException>(() => services.AddOptionsSection<RewardsOptions>("model"));
        Assert.Equal("Model", Assert.Single(OptionsSections.Of(services)).Path);
    }

    [Fact]
    public void RunSections_BindEveryOptionsClassTheTrainingLoopReads()
    {
        var sections = TrainCommand.RunSections();
        var read = typeof(TrainingLoop).GetConstructors().Single().GetParameters()
            .Select(p => p.ParameterType)
            .Where(t => t.IsGenericType && t.GetGenericTypeDefinition() == typeof(IOptions<>))
            .Select(t => t.GetGenericArguments()[0]).ToList();
        Assert.True(read.Count > 10, $"only {read.Count} options found on the constructor");
        Assert.All(read, t => Assert.True(sections.Contains(t), $"{t.Name} is read by the loop but bound by no AddX"));
        Assert.Equal(sections.Count, sections.Select(s => s.OptionsType).Distinct().Count());
    }

    [Fact]
    public void AddTrainer_WithoutTheRolloutAndRewardsSides_Refuses()
    {
        var e = Assert.Throws<InvalidOperationException>(() => new ServiceCollection().AddTrainer());
        Assert.Contains("AddRollout() and AddRewards() first", e.Message);
    }
}
