using Microsoft.Extensions.Options;
using RlTrainer.Rollout.Pruning;
using RlTrainer.Trainer.Engines;

namespace RlTrainer.Trainer.Hosting;

/// <summary>
/// Refuses trace pruning with a remote rollout engine when the host starts, before any model is loaded: the pruning
/// hooks run inside the built-in sampler's decode loop, and a remote engine has none.
/// </summary>
public sealed class PruningEngineValidator(IOptions<RolloutEngineOptions> engine) : IValidateOptions<PruningOptions>
{
    public ValidateOptionsResult Validate(string? name, PruningOptions options)
    {
        if (!options.Enabled) return ValidateOptionsResult.Success;
        if (engine.ValueOrNull() is not { } engineOptions) return ValidateOptionsResult.Skip;
        return engineOptions.Kind != RolloutEngineKind.Remote ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(
            $"{PruningOptions.Section}:Enabled=true needs the built-in sampler (its hooks run inside the decode loop), but " +
            $"{RolloutEngineOptions.Section}:Kind is Remote: turn one of them off.");
    }
}
