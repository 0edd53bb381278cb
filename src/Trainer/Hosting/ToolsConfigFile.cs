using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using RlTrainer.Trainer.Errors;
using RlTrainer.Trainer.Tools;

namespace RlTrainer.Trainer.Hosting;

/// <summary>
/// The Tools section of a JSON file for a command that builds no host (<c>rltrainer eval --tools FILE</c>): a run
/// config such as configs/tools.quickstart.json, or a file holding only <c>{"Tools": {...}}</c>. Checked as a run's
/// config is at start: every key against the options classes, then the Tools section by its own validators.
/// </summary>
public static class ToolsConfigFile
{
    /// <param name="option">The command-line option that named the file, for messages ("--tools").</param>
    /// <exception cref="BadInputException">a missing or invalid file, an unknown key or bad value, no Tools section, or
    /// Tools:Enabled false; each line names the file and the key.</exception>
    public static ToolsOptions Load(string path, string option)
    {
        var configuration = new ConfigurationManager().AddJsonConfigFile(path, option);
        var origin = new ConfigurationOrigin(configuration, path);
        var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration);
        services.AddRollout().AddRewards().AddTrainer();
        ConfigurationKeyCheck.ThrowIfInvalid(configuration, OptionsSections.Of(services), origin);
        if (!configuration.GetSection(ToolsOptions.Section).Exists())
            throw new BadInputException($"{option} {path}: the file has no \"{ToolsOptions.Section}\" section (see configs/tools.quickstart.json).");
        using var provider = services.BuildServiceProvider();
        ToolsOptions options;
        try
        {
            options = provider.GetRequiredService<IOptions<ToolsOptions>>().Value;   // data annotations, then ToolsOptionsValidator
        }
        catch (OptionsValidationException e)
        {
            throw new BadInputException(string.Join(Environment.NewLine, e.Failures.Select(origin.Prefix)), e);
        }
        if (!options.Enabled)
            throw new BadInputException($"{path}: {ToolsOptions.Section}:Enabled is false: set it to true to evaluate with these tools, or leave out {option}.");
        return options;
    }
}
