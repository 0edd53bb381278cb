using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using RlTrainer.Trainer.Cli;
using RlTrainer.Trainer.Hosting;
using RlTrainer.Trainer.Objectives;
using RlTrainer.Trainer.Tests.Data;

namespace RlTrainer.Trainer.Tests.Hosting;

public sealed class EffectiveConfigTests
{
    [Fact]
    public void Build_WritesEverySectionOfTheRun_WithTheValuesInUse()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Model:Path"] = RepoPaths.Of("data", "models", "tiny-math"),
            ["Data:Files:0"] = ParquetFixtures.File("gsm8k.parquet"),
            ["Training:OutputDir"] = "runs/unused",
            ["Algorithm:Kind"] = "Grpo",
            ["Algorithm:Grpo:Beta"] = "0.25",
        }).Build();
        var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration);
        services.AddRollout().AddRewards().AddTrainer();
        using var provider = services.BuildServiceProvider();

        var root = EffectiveConfig.Build(provider);

        var topLevel = TrainCommand.RunSections().Select(s => s.Path.Split(':')[0]).Distinct();
        Assert.Equal(topLevel.Order(), root.Select(kv => kv.Key).Order());
        var algorithm = root["Algorithm"]!.AsObject();
        Assert.Equal("Grpo", algorithm["Kind"]!.GetValue<string>());
        Assert.Equal(0.25, algorithm["Grpo"]!["Beta"]!.GetValue<double>());
        Assert.IsType<JsonObject>(algorithm["DynamicSampling"]);
        Assert.Equal(RepoPaths.Of("data", "models", "tiny-math"), root["Model"]!["Path"]!.GetValue<string>());
    }

    [Fact]
    public void ASubSectionRegisteredBeforeItsParent_GoesInsideIt_AfterTheParentsKeys()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Algorithm:Kind"] = "Grpo",
            ["Algorithm:Grpo:Beta"] = "0.25",
        }).Build();
        var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration);
        services.AddOptionsSection<GrpoOptions>("Algorithm:Grpo");
        services.AddOptionsSection<ObjectiveOptions>("Algorithm", unknownKeysAreErrors: false);
        using var provider = services.BuildServiceProvider();

        var algorithm = Assert.Single(EffectiveConfig.Build(provider)).Value!.AsObject();

        Assert.Equal(["Kind", "Grpo"], algorithm.Select(kv => kv.Key));
        Assert.Equal(0.25, algorithm["Grpo"]!["Beta"]!.GetValue<double>());
    }
}
