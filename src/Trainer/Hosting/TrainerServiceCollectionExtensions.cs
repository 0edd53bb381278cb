using Microsoft.Extensions.DependencyInjection;
using RlTrainer.Trainer.Checkpoints;
using RlTrainer.Trainer.Data;
using RlTrainer.Trainer.Evaluation;
using RlTrainer.Trainer.Objectives;
using RlTrainer.Trainer.Optimization;
using RlTrainer.Trainer.Replay;
using RlTrainer.Trainer.Telemetry;
using RlTrainer.Trainer.Training;

namespace RlTrainer.Trainer.Hosting;

/// <summary>
/// The training side of a run, after <see cref="RolloutServiceCollectionExtensions.AddRollout"/> and
/// <see cref="RewardsServiceCollectionExtensions.AddRewards"/>: its options sections, the telemetry, the loop and the
/// hosted service that runs it.
/// </summary>
public static class TrainerServiceCollectionExtensions
{
    /// <exception cref="InvalidOperationException">AddRollout or AddRewards was not called first.</exception>
    public static IServiceCollection AddTrainer(this IServiceCollection services)
    {
        var sections = OptionsSections.Of(services);
        if (!sections.Contains(typeof(ModelOptions)) || !sections.Contains(typeof(RewardsOptions)))
            throw new InvalidOperationException("AddTrainer needs AddRollout() and AddRewards() first: the training loop reads their sections.");
        // DataOptionsValidator runs the annotations itself.
        services.AddOptionsSection<DataOptions>(DataOptions.Section, annotations: false)
            .ValidatedBy<DataOptionsValidator>().ValidatedBy<DataFilesValidator>().ValidatedBy<HypervolumeHeldOutValidator>();
        services.AddOptionsSection<TrainingOptions>(TrainingOptions.Section).ValidatedBy<AsyncRolloutValidator>();
        services.AddOptionsSection<OptimizerOptions>(OptimizerOptions.Section);
        services.AddOptionsSection<CheckpointOptions>(CheckpointOptions.Section);
        services.AddOptionsSection<EvalOptions>(EvalOptions.Section).ValidatedBy<EvalSetsValidator>();
        // "Algorithm" also holds the sub-sections of the objectives, each bound to a class of its own.
        const string algorithm = ObjectiveOptions.Section;
        services.AddOptionsSection<ObjectiveOptions>(algorithm, unknownKeysAreErrors: false);
        services.AddOptionsSection<GroupAdvantageOptions>($"{algorithm}:{GroupAdvantageOptions.Section}");
        services.AddOptionsSection<GrpoOptions>($"{algorithm}:{GrpoOptions.Section}");
        services.AddOptionsSection<EssOptions>($"{algorithm}:{EssOptions.Section}");
        services.AddOptionsSection<DynamicSamplingOptions>($"{algorithm}:{DynamicSamplingOptions.Section}");
        // ReplayOptionsValidator runs the annotations itself, for the nested Recap section and the source list too.
        services.AddOptionsSection<ReplayOptions>(ReplayOptions.Section, annotations: false).ValidatedBy<ReplayOptionsValidator>();
        services.AddOptionsSection<TelemetryOptions>(TelemetryOptions.Section).ValidatedBy<TelemetryOptionsValidator>();
        services.AddTrainingTelemetry(); // its endpoint starts before the loop and stops after it
        services.AddStepExtensions();
        services.AddSingleton<TrainingLoop>();
        services.AddSingleton<TrainingOutcome>();
        services.AddHostedService<TrainingService>();
        return services;
    }
}
