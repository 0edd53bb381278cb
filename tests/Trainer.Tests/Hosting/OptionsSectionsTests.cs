using Microsoft.Extensions.DependencyInjection;
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
}
