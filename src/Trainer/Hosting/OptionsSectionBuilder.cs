using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace RlTrainer.Trainer.Hosting;

/// <summary>Adds the validators of a section registered by
/// <see cref="OptionsSectionServiceCollectionExtensions.AddOptionsSection{T}"/>; they run in the order added.</summary>
public sealed class OptionsSectionBuilder<T>(IServiceCollection services) where T : class
{
    /// <summary>Runs <typeparamref name="TValidator"/> (resolved from the container) when the host starts.</summary>
    public OptionsSectionBuilder<T> ValidatedBy<TValidator>() where TValidator : class, IValidateOptions<T>
    {
        services.AddSingleton<IValidateOptions<T>, TValidator>();
        return this;
    }
}
