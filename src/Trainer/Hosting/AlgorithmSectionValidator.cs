using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using RlTrainer.Trainer.Objectives;

namespace RlTrainer.Trainer.Hosting;

/// <summary>The "Algorithm" section holds Kind and one sub-section per objective part; anything else is a typo.</summary>
public sealed class AlgorithmSectionValidator(IConfiguration configuration) : IValidateOptions<ObjectiveOptions>
{
    private static readonly string[] Known =
        { "Kind", GroupAdvantageOptions.Section, GrpoOptions.Section, EssOptions.Section, DynamicSamplingOptions.Section };

    public ValidateOptionsResult Validate(string? name, ObjectiveOptions options)
    {
        var unknown = configuration.GetSection("Algorithm").GetChildren()
            .Where(c => !Known.Contains(c.Key, StringComparer.OrdinalIgnoreCase)).Select(c => $"Algorithm:{c.Key}").ToList();
        return unknown.Count == 0
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"unknown key(s) {string.Join(", ", unknown)}; Algorithm holds {string.Join(", ", Known)}.");
    }
}
