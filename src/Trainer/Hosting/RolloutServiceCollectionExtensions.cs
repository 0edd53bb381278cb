using Microsoft.Extensions.DependencyInjection;
using RlTrainer.Rollout.Pruning;
using RlTrainer.Trainer.Engines;
using RlTrainer.Trainer.Tools;
using RlTrainer.Trainer.Training;

namespace RlTrainer.Trainer.Hosting;

/// <summary>The rollout side of a run: the policy, how it samples, the engine that samples, trace pruning and tools.</summary>
public static class RolloutServiceCollectionExtensions
{
    public static IServiceCollection AddRollout(this IServiceCollection services)
    {
        // Model:Lora is a sub-section of its own.
        services.AddOptionsSection<ModelOptions>(ModelOptions.Section, unknownKeysAreErrors: false).ValidatedBy<ModelFolderValidator>();
        services.AddOptionsSection<LoraOptions>($"{ModelOptions.Section}:{LoraOptions.Section}").ValidatedBy<LoraOptionsValidator>();
        services.AddOptionsSection<RolloutOptions>(RolloutOptions.Section);
        services.AddOptionsSection<RolloutEngineOptions>(RolloutEngineOptions.Section).ValidatedBy<LoraSyncValidator>();
        // PruningOptionsValidator runs the annotations itself, for the rule sub-sections too.
        services.AddOptionsSection<PruningOptions>(PruningOptions.Section, annotations: false)
            .ValidatedBy<PruningOptionsValidator>().ValidatedBy<PruningEngineValidator>();
        services.AddOptionsSection<ToolsOptions>(ToolsOptions.Section).ValidatedBy<ToolsOptionsValidator>();
        return services;
    }
}
