using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.CommandLine;
using Microsoft.Extensions.Configuration.EnvironmentVariables;

namespace RlTrainer.Trainer.Hosting;

/// <summary>
/// Which layer of a run's configuration (the JSON file, an RLTRAINER__ environment variable, a --Section:Key
/// argument) set a key, so an error about the key points where to fix it. Later layers win, as when binding.
/// </summary>
public sealed class ConfigurationOrigin(IConfigurationRoot root, string configFile)
{
    /// <summary>"FILE", "environment RLTRAINER__A__B" or "command line" for the key (or section) "A:B".</summary>
    public string Of(string key)
    {
        foreach (var provider in root.Providers.Reverse())
        {
            if (!provider.TryGet(key, out _) && !provider.GetChildKeys([], key).Any()) continue;
            return provider switch
            {
                EnvironmentVariablesConfigurationProvider => $"environment RLTRAINER__{key.Replace(":", "__", StringComparison.Ordinal)}",
                CommandLineConfigurationProvider => "command line",
                _ => configFile,
            };
        }
        return configFile;
    }

    /// <summary>Prefixes a failure that starts with a key ("Rollout:GroupSize = 1: ...", "Data.Files: ...") by its origin.</summary>
    public string Prefix(string failure)
    {
        int end = failure.IndexOfAny([' ', '=']);
        var key = (end < 0 ? failure : failure[..end]).TrimEnd(':').Replace('.', ':').Replace("[", ":", StringComparison.Ordinal)
            .Replace("]", "", StringComparison.Ordinal);
        return $"{Of(key)}: {failure}";
    }
}
