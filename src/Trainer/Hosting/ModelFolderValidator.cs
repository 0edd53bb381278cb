using Microsoft.Extensions.Options;
using RlTrainer.Rollout.Model;
using RlTrainer.Trainer.Training;

namespace RlTrainer.Trainer.Hosting;

/// <summary>
/// Checks at start that Model:Path (and Model:ReferencePath when set) is a Hugging Face model folder: it exists and
/// holds a readable config.json and weights, so a wrong path fails before the data or any tensor is loaded.
/// </summary>
public sealed class ModelFolderValidator : IValidateOptions<ModelOptions>
{
    public ValidateOptionsResult Validate(string? name, ModelOptions options)
    {
        var failures = new List<string>();
        foreach (var (key, dir) in new[] { ("Path", options.Path), ("ReferencePath", options.ReferencePath) })
        {
            if (string.IsNullOrEmpty(dir)) continue; // a missing Path is the [Required] annotation's failure
            if (Problem(dir) is { } problem) failures.Add($"{ModelOptions.Section}:{key} = '{dir}': {problem}");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static string? Problem(string dir)
    {
        if (!Directory.Exists(dir)) return "no such folder.";
        var config = Path.Combine(dir, "config.json");
        if (!File.Exists(config)) return "no config.json in the folder (a Hugging Face model folder needs one).";
        try
        {
            ModelConfig.Load(config);
        }
        catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            return e.Message;
        }
        if (!File.Exists(Path.Combine(dir, HfModelFolder.SingleFile)) && !File.Exists(Path.Combine(dir, HfModelFolder.IndexFile)))
            return $"no weights in the folder (neither {HfModelFolder.SingleFile} nor {HfModelFolder.IndexFile}).";
        return null;
    }
}
