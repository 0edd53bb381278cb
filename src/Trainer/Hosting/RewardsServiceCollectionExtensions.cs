using Microsoft.Extensions.DependencyInjection;
using RlTrainer.Trainer.Training;

namespace RlTrainer.Trainer.Hosting;

/// <summary>The rewards side of a run: the reward-mix file that scores completions, parsed when the host starts.</summary>
public static class RewardsServiceCollectionExtensions
{
    public static IServiceCollection AddRewards(this IServiceCollection services)
    {
        services.AddOptionsSection<RewardsOptions>(RewardsOptions.Section).ValidatedBy<RewardsFileValidator>();
        return services;
    }
}
