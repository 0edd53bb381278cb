using Microsoft.Extensions.Options;
using RlTrainer.Rollout.Pruning;
using RlTrainer.Trainer.Engines;
using RlTrainer.Trainer.Replay;
using RlTrainer.Trainer.Training;

namespace RlTrainer.Trainer.Hosting;

/// <summary>
/// Refuses, at start, asynchronous rollouts (Training:MaxStaleness &gt; 0) together with what they do not support yet:
/// a remote engine (its weights would need the disk sync at version boundaries), trace pruning (its per-step state
/// lives in the learner's rollout phase) and replay (its groups are sampled on the learner thread with the current
/// weights, outside the staleness accounting).
/// </summary>
public sealed class AsyncRolloutValidator(IOptions<RolloutEngineOptions> engine, IOptions<PruningOptions> pruning,
    IOptions<ReplayOptions> replay) : IValidateOptions<TrainingOptions>
{
    public ValidateOptionsResult Validate(string? name, TrainingOptions options)
    {
        if (options.MaxStaleness == 0) return ValidateOptionsResult.Success;
        var k = $"{TrainingOptions.Section}:MaxStaleness={options.MaxStaleness}";
        var failures = new List<string>();
        if (engine.ValueOrNull() is { Kind: RolloutEngineKind.Remote })
            failures.Add($"{k} needs the built-in sampler for now, but {RolloutEngineOptions.Section}:Kind is Remote: set MaxStaleness to 0 or use the built-in sampler.");
        if (pruning.ValueOrNull() is { Enabled: true })
            failures.Add($"{k} does not work with trace pruning yet, but {PruningOptions.Section}:Enabled is true: turn one of them off.");
        if (replay.ValueOrNull() is { Sources.Count: > 0 } r)
            failures.Add($"{k} does not work with replay yet, but {ReplayOptions.Section}:Sources lists {r.Sources.Count}: remove them or set MaxStaleness to 0.");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
