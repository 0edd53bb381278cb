using Microsoft.Extensions.Options;
using RlTrainer.Trainer.Engines;
using RlTrainer.Trainer.Training;

namespace RlTrainer.Trainer.Hosting;

/// <summary>
/// RolloutEngine:LoraSync=Adapter sends the engines the policy's LoRA adapter, so it needs one (Model:Lora:Enabled),
/// remote engines and weight sync; any other combination would silently sync nothing or a full model, so it is refused
/// when the host starts, before any model is loaded.
/// </summary>
public sealed class LoraSyncValidator(IOptions<LoraOptions> lora) : IValidateOptions<RolloutEngineOptions>
{
    private const string Key = $"{RolloutEngineOptions.Section}:{nameof(RolloutEngineOptions.LoraSync)}=Adapter";

    public ValidateOptionsResult Validate(string? name, RolloutEngineOptions options)
    {
        if (options.LoraSync != LoraSyncMode.Adapter) return ValidateOptionsResult.Success;
        if (lora.ValueOrNull() is not { } loraOptions) return ValidateOptionsResult.Skip;
        var failures = new List<string>();
        if (!loraOptions.Enabled)
            failures.Add($"{Key} sends the engines the policy's LoRA adapter, but {ModelOptions.Section}:{LoraOptions.Section}:Enabled is false: " +
                         $"enable LoRA, or set {RolloutEngineOptions.Section}:LoraSync=Merged.");
        if (options.Kind != RolloutEngineKind.Remote)
            failures.Add($"{Key} is for remote engines, but {RolloutEngineOptions.Section}:Kind is {options.Kind}: the built-in sampler " +
                         $"uses the policy itself; set {RolloutEngineOptions.Section}:LoraSync=Merged or Kind=Remote.");
        if (!options.SyncWeights)
            failures.Add($"{Key} is how weights are synced, but {RolloutEngineOptions.Section}:SyncWeights is false: turn one of them off.");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
