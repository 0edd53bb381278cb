using System.ComponentModel.DataAnnotations;
using System.Globalization;
using Microsoft.Extensions.Options;

namespace RlTrainer.Trainer.Objectives;

/// <summary>
/// Runs the DataAnnotations checks of an options object outside dependency injection, so an objective built by hand
/// fails as loudly as one bound from configuration.
/// </summary>
internal static class OptionsValidation
{
    /// <summary>Throws <see cref="ArgumentException"/> naming section, field and value of every violated attribute.</summary>
    public static void ThrowIfInvalid(object options, string section)
    {
        var lines = Failures(options, section);
        if (lines.Count > 0) throw new ArgumentException("invalid options: " + string.Join("; ", lines), nameof(options));
    }

    /// <summary>One "Section:Field = value: message" line per violated attribute; empty when valid.</summary>
    public static IReadOnlyList<string> Failures(object options, string section)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        var failures = results.Select(r =>
        {
            var field = r.MemberNames.FirstOrDefault() ?? "?";
            var value = options.GetType().GetProperty(field)?.GetValue(options);
            return $"{section}:{field} = {Format(value)}: {r.ErrorMessage}";
        }).ToList();
        // A nested options object marked [ValidateObjectMembers] is checked as its own sub-section.
        foreach (var p in options.GetType().GetProperties().Where(p => p.IsDefined(typeof(ValidateObjectMembersAttribute), true)))
            if (p.GetValue(options) is { } nested) failures.AddRange(Failures(nested, $"{section}:{p.Name}"));
        return failures;
    }

    private static string Format(object? value) => value switch
    {
        null => "null",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "?",
    };
}
