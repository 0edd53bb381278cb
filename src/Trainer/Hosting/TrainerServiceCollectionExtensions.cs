using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using RlTrainer.Rollout.Pruning;
using RlTrainer.Trainer.Data;
using RlTrainer.Trainer.Evaluation;
using RlTrainer.Trainer.Objectives;
using RlTrainer.Trainer.Optimization;
using RlTrainer.Trainer.Replay;
using RlTrainer.Trainer.Telemetry;
using RlTrainer.Trainer.Training;
using RlTrainer.Trainer.Checkpoints;

namespace RlTrainer.Trainer.Hosting;

/// <summary>Binds every options section once, validates at start, and registers the loop and its service.</summary>
public static class TrainerServiceCollectionExtensions
{
    /// Configuration path of each options class. The algorithm's sections live under "Algorithm".
    public static readonly IReadOnlyDictionary<Type, string> Sections = new Dictionary<Type, string>
    {
        [typeof(ModelOptions)] = ModelOptions.Section,
        [typeof(DataOptions)] = DataOptions.Section,
        [typeof(RolloutOptions)] = RolloutOptions.Section,
        [typeof(TrainingOptions)] = TrainingOptions.Section,
        [typeof(OptimizerOptions)] = OptimizerOptions.Section,
        [typeof(CheckpointOptions)] = CheckpointOptions.Section,
        [typeof(EvalOptions)] = EvalOptions.Section,
        [typeof(RewardsOptions)] = RewardsOptions.Section,
        [typeof(ObjectiveOptions)] = ObjectiveOptions.Section,
        [typeof(GroupAdvantageOptions)] = ObjectiveOptions.Section + ":" + GroupAdvantageOptions.Section,
        [typeof(GrpoOptions)] = ObjectiveOptions.Section + ":" + GrpoOptions.Section,
        [typeof(EssOptions)] = ObjectiveOptions.Section + ":" + EssOptions.Section,
        [typeof(DynamicSamplingOptions)] = ObjectiveOptions.Section + ":" + DynamicSamplingOptions.Section,
        [typeof(Engines.RolloutEngineOptions)] = Engines.RolloutEngineOptions.Section,
        [typeof(ReplayOptions)] = ReplayOptions.Section,
        [typeof(PruningOptions)] = PruningOptions.Section,
        [typeof(TelemetryOptions)] = TelemetryOptions.Section,
    };

    public static IServiceCollection AddTrainer(this IServiceCollection services)
    {
        Add<ModelOptions>(services);
        Add<RolloutOptions>(services);
        Add<TrainingOptions>(services);
        Add<OptimizerOptions>(services);
        Add<CheckpointOptions>(services);
        Add<EvalOptions>(services);
        Add<RewardsOptions>(services);
        Add<ObjectiveOptions>(services);
        Add<GroupAdvantageOptions>(services);
        Add<GrpoOptions>(services);
        Add<EssOptions>(services);
        Add<DynamicSamplingOptions>(services);
        Add<Engines.RolloutEngineOptions>(services);
        // ReplayOptionsValidator runs the annotations itself, for the nested Recap section and the source list too.
        services.AddOptions<ReplayOptions>().BindConfiguration(ReplayOptions.Section, o => o.ErrorOnUnknownConfiguration = true).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ReplayOptions>, ReplayOptionsValidator>();
        Add<PruningOptions>(services);
        services.AddSingleton<IValidateOptions<PruningOptions>, PruningOptionsValidator>();
        services.AddOptions<DataOptions>().BindConfiguration(DataOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<DataOptions>, DataOptionsValidator>();
        services.AddSingleton<IValidateOptions<DataOptions>, DataFilesValidator>();
        services.AddSingleton<IValidateOptions<RewardsOptions>, RewardsFileValidator>();
        services.AddSingleton<IValidateOptions<ModelOptions>, ModelFolderValidator>();
        Add<TelemetryOptions>(services);
        services.AddSingleton<IValidateOptions<TelemetryOptions>, TelemetryOptionsValidator>();
        services.AddTrainingTelemetry(); // its endpoint starts before the loop and stops after it
        services.AddStepExtensions();
        services.AddSingleton<TrainingLoop>();
        services.AddSingleton<TrainingOutcome>();
        services.AddHostedService<TrainingService>();
        return services;
    }

    private static void Add<T>(IServiceCollection services) where T : class
    {
        var section = Sections[typeof(T)];
        // A misspelt key is an error, not a silent default (ConfigurationKeyCheck reports it first, with a hint).
        // "Algorithm" also holds the sub-sections of the objectives.
        bool strict = typeof(T) != typeof(ObjectiveOptions);
        services.AddOptions<T>().BindConfiguration(section, o => o.ErrorOnUnknownConfiguration = strict).ValidateOnStart();
        services.AddSingleton<IValidateOptions<T>>(new AnnotatedOptionsValidator<T>(section));
    }
}
