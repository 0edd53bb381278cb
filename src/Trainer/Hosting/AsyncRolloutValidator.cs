using Microsoft.Extensions.Options;
using RlTrainer.Rollout.Pruning;
using RlTrainer.Trainer.Replay;
using RlTrainer.Trainer.Training;

namespace RlTrainer.Trainer.Hosting;

/// <summary>
/// Refuses, at start, asynchronous rollouts (Training:MaxStaleness &gt; 0) together with what they do not support:
/// trace pruning (its per-step state and rollout log live in the learner's rollout phase, and its teacher groups are
/// sampled with the learner's weights) and replay (its groups are sampled on the learner thread with the current
/// weights, outside the staleness accounting). Remote engines, dynamic sampling, the importance-sampling correction
/// and reward weighting work with k &gt; 0.
/// </summary>
public sealed class AsyncRolloutValidator(IOptions<PruningOptions> pruning, IOptions<ReplayOptions> replay)
    : IValidateOptions<TrainingOptions>
{
    public ValidateOptionsResult Validate(string? name, TrainingOptions options)
    {
        if (options.MaxStaleness == 0) return ValidateOptionsResult.Success;
        var k = $"{TrainingOptions.Section}:MaxStaleness={options.MaxStaleness}";
        var failures = new List<string>();
        if (pruning.ValueOrNull() is { Enabled: true })
            failures.Add($"{k} does not work with trace pruning, but {PruningOptions.Section}:Enabled is true: turn one of them off.");
        if (replay.ValueOrNull() is { Sources.Count: > 0 } r)
            failures.Add($"{k} does not work with replay, but {ReplayOptions.Section}:Sources lists {r.Sources.Count}: remove them or set MaxStaleness to 0.");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
