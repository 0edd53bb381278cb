using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using RlTrainer.Rollout.Pruning;
using RlTrainer.Trainer.Engines;
using RlTrainer.Trainer.Hosting;

namespace RlTrainer.Trainer.Tests.Hosting;

public sealed class RolloutServiceCollectionExtensionsTests
{
    /// The failures of section <typeparamref name="T"/> as AddRollout validates it; empty when it binds.
    private static IReadOnlyList<string> Failures<T>(params (string Key, string Value)[] pairs) where T : class
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(pairs.Select(p => KeyValuePair.Create(p.Key, (string?)p.Value))).Build();
        using var provider = new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddRollout().BuildServiceProvider();
        try
        {
            _ = provider.GetRequiredService<IOptions<T>>().Value;
            return [];
        }
        catch (OptionsValidationException e)
        {
            return e.Failures.ToList();
        }
    }

    [Fact]
    public void PruningWithARemoteEngine_IsAFailureOfThePruningSection()
    {
        Assert.Equal([PruningEngineValidatorTests.Conflict], Failures<PruningOptions>(("Pruning:Enabled", "true"),
            ("RolloutEngine:Kind", "Remote"), ("RolloutEngine:Urls:0", "http://127.0.0.1:8000")));
    }

    [Fact]
    public void AnEngineSectionThatFails_IsReportedByItselfOnly()
    {
        (string, string)[] remoteWithoutUrl = [("Pruning:Enabled", "true"), ("RolloutEngine:Kind", "Remote")];
        Assert.Empty(Failures<PruningOptions>(remoteWithoutUrl));
        Assert.Contains("Kind = Remote needs at least one engine base URL", Assert.Single(Failures<RolloutEngineOptions>(remoteWithoutUrl)));
    }

    [Fact]
    public void ATopLevelPruningAnnotation_IsReportedOnce()
    {
        Assert.Equal(["Pruning:TeacherGroupFraction = 2: The field TeacherGroupFraction must be between 0 and 1."],
            Failures<PruningOptions>(("Pruning:TeacherGroupFraction", "2")));
    }
}
