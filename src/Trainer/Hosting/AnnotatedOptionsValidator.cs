using Microsoft.Extensions.Options;
using RlTrainer.Trainer.Objectives;

namespace RlTrainer.Trainer.Hosting;

/// <summary>DataAnnotations validation whose messages name the configuration key and the bad value
/// ("Rollout:GroupSize = 1: The field GroupSize must be between 2 and 1024.").</summary>
public sealed class AnnotatedOptionsValidator<T>(string section) : IValidateOptions<T> where T : class
{
    public ValidateOptionsResult Validate(string? name, T options)
    {
        var failures = OptionsValidation.Failures(options, section);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
