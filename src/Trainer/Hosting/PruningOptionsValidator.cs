using Microsoft.Extensions.Options;
using RlTrainer.Rollout.Pruning;
using RlTrainer.Trainer.Objectives;

namespace RlTrainer.Trainer.Hosting;

/// <summary>Checks the <c>Pruning</c> section and its rule sub-sections, naming the key of each bad value
/// ("Pruning:Overthink:ConsecutiveEquivalent = 0: …").</summary>
public sealed class PruningOptionsValidator : IValidateOptions<PruningOptions>
{
    public ValidateOptionsResult Validate(string? name, PruningOptions options)
    {
        const string s = PruningOptions.Section;
        var failures = OptionsValidation.Failures(options, s)
            .Concat(OptionsValidation.Failures(options.Repetition, s + ":Repetition"))
            .Concat(OptionsValidation.Failures(options.Overthink, s + ":Overthink"))
            .Concat(OptionsValidation.Failures(options.Underthink, s + ":Underthink"))
            .Concat(OptionsValidation.Failures(options.GroupAbort, s + ":GroupAbort"))
            .ToList();
        if (options.Repetition.Lookback < options.Repetition.Window)
            failures.Add($"{s}:Repetition:Lookback = {options.Repetition.Lookback}: must be at least Window ({options.Repetition.Window}).");
        if (options.SegmentMarkers?.Any(string.IsNullOrEmpty) == true)
            failures.Add($"{s}:SegmentMarkers: markers must be non-empty strings.");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
