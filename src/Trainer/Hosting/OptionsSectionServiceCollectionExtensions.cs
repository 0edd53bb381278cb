using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace RlTrainer.Trainer.Hosting;

/// <summary>Registers an options section: one call per section, in the AddX of the side that reads it.</summary>
public static class OptionsSectionServiceCollectionExtensions
{
    /// <summary>
    /// Adds <typeparamref name="T"/>, bound from <paramref name="path"/>, to the collection's <see cref="OptionsSections"/>
    /// and binds it: a key the class lacks is an error (ConfigurationKeyCheck reports it first, with a hint), and the
    /// host validates it when it starts, by its data annotations and then by the validators added to the result.
    /// </summary>
    /// <param name="annotations">false when a validator of the section runs the annotations itself (for nested
    /// sub-sections, or with messages of its own).</param>
    /// <param name="unknownKeysAreErrors">false for a section whose other keys are sub-sections of their own.</param>
    public static OptionsSectionBuilder<T> AddOptionsSection<T>(this IServiceCollection services, string path,
        bool annotations = true, bool unknownKeysAreErrors = true) where T : class
    {
        OptionsSections.Of(services).Add(new OptionsSection(typeof(T), path, unknownKeysAreErrors));
        services.AddOptions<T>().BindConfiguration(path, o => o.ErrorOnUnknownConfiguration = unknownKeysAreErrors).ValidateOnStart();
        if (annotations) services.AddSingleton<IValidateOptions<T>>(new AnnotatedOptionsValidator<T>(path));
        return new OptionsSectionBuilder<T>(services);
    }
}
