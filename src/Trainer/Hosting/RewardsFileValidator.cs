using Microsoft.Extensions.Options;
using RlTrainer.Rewards.Mixing;
using RlTrainer.Trainer.Training;

namespace RlTrainer.Trainer.Hosting;

/// <summary>Parses the reward-mix file at start, so a bad reward config fails before any model is loaded.</summary>
public sealed class RewardsFileValidator : IValidateOptions<RewardsOptions>
{
    public ValidateOptionsResult Validate(string? name, RewardsOptions options)
    {
        if (options.File is null) return ValidateOptionsResult.Success;
        if (!System.IO.File.Exists(options.File))
            return ValidateOptionsResult.Fail($"Rewards:File = '{options.File}': file not found.");
        try
        {
            RewardMixParser.Load(options.File);
            return ValidateOptionsResult.Success;
        }
        catch (Exception e) when (e is RewardConfigException or IOException)
        {
            return ValidateOptionsResult.Fail($"Rewards:File = '{options.File}': {e.Message}");
        }
    }
}
