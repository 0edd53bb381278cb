using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using RlTrainer.Trainer.Objectives;

namespace RlTrainer.Trainer.Replay;

/// <summary>Checks the Replay section; every message names the key and its value ("Replay:Sources:0:Name = main: ...").</summary>
public sealed partial class ReplayOptionsValidator : IValidateOptions<ReplayOptions>
{
    /// <summary>The task name of the main task, which no source may take.</summary>
    public const string MainTask = "main";

    public ValidateOptionsResult Validate(string? name, ReplayOptions options)
    {
        var failures = new List<string>(Failures(options));
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>One line per problem; empty when the options are valid.</summary>
    public static IEnumerable<string> Failures(ReplayOptions options)
    {
        const string s = ReplayOptions.Section;
        foreach (var f in OptionsValidation.Failures(options, s)) yield return f;
        foreach (var f in OptionsValidation.Failures(options.Recap, s + ":Recap")) yield return f;
        if (!(options.MainWeight >= 0) || !double.IsFinite(options.MainWeight))
            yield return $"{s}:MainWeight = {F(options.MainWeight)}: a static weight must be finite and not negative.";
        if (options.Sources.Count > 0 && options.Ratio <= 0)
            yield return $"{s}:Ratio = {F(options.Ratio)}: must be above 0 when {options.Sources.Count} replay source(s) are configured.";
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < options.Sources.Count; i++)
        {
            var src = options.Sources[i];
            var key = $"{s}:Sources:{i}";
            if (!NamePattern().IsMatch(src.Name ?? ""))
                yield return $"{key}:Name = '{src.Name}': give a name of letters, digits, '_', '-' or '.'.";
            else if (src.Name == MainTask)
                yield return $"{key}:Name = '{src.Name}': '{MainTask}' is the main task's name; choose another name.";
            else if (!seen.Add(src.Name!))
                yield return $"{key}:Name = '{src.Name}': two sources have this name.";
            if (src.Files.Count == 0 || src.Files.Any(string.IsNullOrWhiteSpace))
                yield return $"{key}:Files = [{string.Join(", ", src.Files)}]: give at least one file or glob, and no empty entries.";
            if (!(src.Weight >= 0) || !double.IsFinite(src.Weight))
                yield return $"{key}:Weight = {F(src.Weight)}: a static weight must be finite and not negative.";
        }
    }

    private static string F(double v) => v.ToString(CultureInfo.InvariantCulture);

    [GeneratedRegex("^[A-Za-z0-9_.-]+$")]
    private static partial Regex NamePattern();
}
