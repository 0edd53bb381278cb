using Microsoft.Extensions.Options;
using RlTrainer.Rewards.Mixing;
using RlTrainer.Rewards.Weighting;
using RlTrainer.Trainer.Data;
using RlTrainer.Trainer.Training;

namespace RlTrainer.Trainer.Hosting;

/// <summary>
/// Refuses a reward mix weighted by hypervolume when the Data section holds no problems out, when the host starts
/// rather than once the model and the data are loaded: the weights are measured on held-out validation problems.
/// (A fraction that happens to hold out no row is only known once the data is read; RewardReweighting refuses that.)
/// </summary>
public sealed class HypervolumeHeldOutValidator(IOptions<RewardsOptions> rewards) : IValidateOptions<DataOptions>
{
    public ValidateOptionsResult Validate(string? name, DataOptions options)
    {
        if (options.HeldOutFiles.Count > 0 || options.HeldOutFraction > 0) return ValidateOptionsResult.Success;
        if (rewards.ValueOrNull() is not { } rewardsOptions) return ValidateOptionsResult.Skip;
        var file = rewardsOptions.File;
        RewardMix mix;
        try
        {
            mix = RewardMixParser.LoadOrDefault(file);
        }
        catch (Exception e) when (e is RewardConfigException or IOException)
        {
            return ValidateOptionsResult.Skip; // a bad reward file is reported once, by RewardsFileValidator
        }
        return mix.Weighting.Method != WeightingMethod.Hypervolume ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(
            $"{RewardsOptions.Section}:File = '{file}': \"weighting\": \"hypervolume\" needs a held-out set for its validation points: " +
            $"set {DataOptions.Section}:HeldOutFiles or {DataOptions.Section}:HeldOutFraction.");
    }
}
