using System.Collections;
using Microsoft.Extensions.DependencyInjection;

namespace RlTrainer.Trainer.Hosting;

/// <summary>
/// The options sections a service collection binds, in the order they were registered: the one list that binding and
/// validation at start (<see cref="OptionsSectionServiceCollectionExtensions.AddOptionsSection{T}"/>),
/// <see cref="ConfigurationKeyCheck"/> and <see cref="EffectiveConfig"/> read. It is kept in the collection itself, so
/// a check that runs before the host is built reads what the host will bind.
/// </summary>
public sealed class OptionsSections : IReadOnlyCollection<OptionsSection>
{
    private readonly List<OptionsSection> _sections = [];

    public int Count => _sections.Count;

    public bool Contains(Type optionsType) => _sections.Exists(s => s.OptionsType == optionsType);

    /// <summary>The configuration path <typeparamref name="T"/> is bound from.</summary>
    public string PathOf<T>() => PathOf(typeof(T));

    /// <exception cref="KeyNotFoundException">No section binds <paramref name="optionsType"/>.</exception>
    public string PathOf(Type optionsType) => _sections.Find(s => s.OptionsType == optionsType)?.Path
        ?? throw new KeyNotFoundException($"{optionsType.Name} is not bound from any configuration section.");

    /// <summary>The registry of <paramref name="services"/>, added to it (as a singleton) on first use.</summary>
    public static OptionsSections Of(IServiceCollection services)
    {
        if (services.FirstOrDefault(d => d.ServiceType == typeof(OptionsSections))?.ImplementationInstance is OptionsSections existing)
            return existing;
        var sections = new OptionsSections();
        services.AddSingleton(sections);
        return sections;
    }

    /// <exception cref="InvalidOperationException">The class or the path is registered already (a wiring bug).</exception>
    internal void Add(OptionsSection section)
    {
        if (Contains(section.OptionsType))
            throw new InvalidOperationException($"{section.OptionsType.Name} is bound twice.");
        if (_sections.Find(s => string.Equals(s.Path, section.Path, StringComparison.OrdinalIgnoreCase)) is { } taken)
            throw new InvalidOperationException($"{section.OptionsType.Name} and {taken.OptionsType.Name} are both bound from '{section.Path}'.");
        _sections.Add(section);
    }

    public IEnumerator<OptionsSection> GetEnumerator() => _sections.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
