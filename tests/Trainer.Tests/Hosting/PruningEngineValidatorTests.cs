using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using RlTrainer.Rollout.Pruning;
using RlTrainer.Trainer.Engines;
using RlTrainer.Trainer.Hosting;

namespace RlTrainer.Trainer.Tests.Hosting;

public sealed class PruningEngineValidatorTests
{
    private const string Conflict = "Pruning:Enabled=true needs the built-in sampler (its hooks run inside the decode loop), but " +
                                    "RolloutEngine:Kind is Remote: turn one of them off.";

    /// The Pruning section's failures as AddRollout wires its validators; empty when it binds.
    private static IReadOnlyList<string> PruningFailures(params (string Key, string Value)[] pairs)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(pairs.Select(p => KeyValuePair.Create(p.Key, (string?)p.Value))).Build();
        using var provider = new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddRollout().BuildServiceProvider();
        try
        {
            _ = provider.GetRequiredService<IOptions<PruningOptions>>().Value;
            return [];
        }
        catch (OptionsValidationException e)
        {
            return e.Failures.ToList();
        }
    }

    [Fact]
    public void PruningWithARemoteEngine_FailsNamingBothKeys()
    {
        Assert.Equal([Conflict], PruningFailures(("Pruning:Enabled", "true"), ("RolloutEngine:Kind", "Remote"),
            ("RolloutEngine:Urls:0", "http://127.0.0.1:8000")));
    }

    [Fact]
    public void PruningWithTheBuiltInSampler_OrARemoteEngineWithoutPruning_Passes()
    {
        Assert.Empty(PruningFailures(("Pruning:Enabled", "true")));
        Assert.Empty(PruningFailures(("RolloutEngine:Kind", "Remote"), ("RolloutEngine:Urls:0", "http://127.0.0.1:8000")));
    }

    [Fact]
    public void AnInvalidEngineSection_IsLeftToItsOwnValidators()
    {
        // Remote without a URL: the RolloutEngine section reports that; Pruning does not report it again.
        Assert.Empty(PruningFailures(("Pruning:Enabled", "true"), ("RolloutEngine:Kind", "Remote")));
        var engine = new PruningEngineValidator(new ThrowingOptions());
        Assert.True(engine.Validate(null, new PruningOptions { Enabled = true }).Skipped);
    }

    private sealed class ThrowingOptions : IOptions<RolloutEngineOptions>
    {
        public RolloutEngineOptions Value =>
            throw new OptionsValidationException(Options.DefaultName, typeof(RolloutEngineOptions), ["RolloutEngine:Urls: bad"]);
    }
}
