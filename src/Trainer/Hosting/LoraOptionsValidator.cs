using Microsoft.Extensions.Options;
using RlTrainer.Trainer.Training;

namespace RlTrainer.Trainer.Hosting;

/// <summary>Model:Lora:TargetModules must name projections the model has (or be "all-linear"), checked at start.</summary>
public sealed class LoraOptionsValidator : IValidateOptions<LoraOptions>
{
    public ValidateOptionsResult Validate(string? name, LoraOptions options)
    {
        if (!options.Enabled) return ValidateOptionsResult.Success;
        try
        {
            LoraAdapterSetup.Config(options, "").ResolvedTargets();
            return ValidateOptionsResult.Success;
        }
        catch (ArgumentException e)
        {
            return ValidateOptionsResult.Fail($"{ModelOptions.Section}:{LoraOptions.Section}:TargetModules: {e.Message}");
        }
    }
}
