using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using RlTrainer.Trainer.Objectives;
using RlTrainer.Trainer.Replay;
using RlTrainer.Trainer.Training;

namespace RlTrainer.Trainer.Hosting;

/// <summary>
/// The training step's extensions (<see cref="IStepExtension"/>), in the one order the loop calls every phase of them
/// (docs/architecture.md). A new feature that changes the step is one line here.
/// </summary>
public static class StepExtensionServiceCollectionExtensions
{
    public static IServiceCollection AddStepExtensions(this IServiceCollection services)
    {
        // One estimator: the update and the gradient weighting's per-component passes must normalise alike.
        services.AddSingleton(sp => new AdvantageEstimator(sp.GetRequiredService<IOptions<GroupAdvantageOptions>>().Value));

        services.AddSingleton<IStepExtension, RemoteLogProbCorrection>(); // engine log-probs → the trainer's, IS weights
        services.AddSingleton<IStepExtension, RewardReweighting>();       // reward weights, r_pareto; weights/…
        services.AddSingleton<IStepExtension, ReplayExtension>();         // + replayed RL groups and SFT losses; replay/…
        services.AddSingleton<IStepExtension, RolloutAccounting>();       // rollout/… and pruning/… cost totals
        services.AddSingleton<IStepExtension, ToolCallMetrics>();         // tools/… (multi-turn rollouts with tools)
        services.AddSingleton<IStepExtension>(sp => sp.GetRequiredService<AdvantageEstimator>()); // tmn/…
        return services;
    }
}
