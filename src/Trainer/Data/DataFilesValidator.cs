using Microsoft.Extensions.Options;

namespace RlTrainer.Trainer.Data;

/// <summary>
/// Checks at start that every entry of Data:Files and Data:HeldOutFiles names an existing file or a glob that matches
/// one, so a wrong path fails before the model is loaded (the files' contents are read, and checked, later).
/// </summary>
public sealed class DataFilesValidator : IValidateOptions<DataOptions>
{
    public ValidateOptionsResult Validate(string? name, DataOptions options)
    {
        var failures = new List<string>();
        foreach (var (key, patterns) in new[] { ("Files", options.Files), ("HeldOutFiles", options.HeldOutFiles) })
        {
            for (int i = 0; i < patterns.Count; i++)
            {
                if (string.IsNullOrWhiteSpace(patterns[i])) continue; // DataOptionsValidator's failure
                try
                {
                    DataFiles.Resolve([patterns[i]]);
                }
                catch (DataFormatException e)
                {
                    failures.Add($"{DataOptions.Section}:{key}:{i}: {e.Message}");
                }
            }
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
