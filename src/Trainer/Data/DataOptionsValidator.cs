using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace RlTrainer.Trainer.Data;

/// <summary>Cross-field checks of <see cref="DataOptions"/> (the per-field ranges are data annotations).</summary>
public sealed class DataOptionsValidator : IValidateOptions<DataOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, DataOptions options)
    {
        var failures = new List<string>();
        var annotations = new List<ValidationResult>();
        if (!Validator.TryValidateObject(options, new ValidationContext(options), annotations, validateAllProperties: true))
        {
            failures.AddRange(annotations.Select(r => $"{DataOptions.Section}: {r.ErrorMessage}"));
        }

        if (options.Files.Count == 0 || options.Files.Any(string.IsNullOrWhiteSpace))
        {
            failures.Add($"{DataOptions.Section}.Files: give at least one file or glob, and no empty entries.");
        }

        if (options.Shape == DataShape.Custom)
        {
            if (string.IsNullOrWhiteSpace(options.Columns.Prompt))
                failures.Add($"{DataOptions.Section}.Columns.Prompt: required when Shape is Custom.");
            if (string.IsNullOrWhiteSpace(options.Columns.GroundTruth))
                failures.Add($"{DataOptions.Section}.Columns.GroundTruth: required when Shape is Custom.");
        }

        if (options.HeldOutFiles.Count > 0 && options.HeldOutFraction > 0)
        {
            failures.Add($"{DataOptions.Section}: set HeldOutFraction ({options.HeldOutFraction}) or HeldOutFiles, not both.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
