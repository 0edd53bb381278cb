using System.Collections;
using System.ComponentModel;
using System.Globalization;
using System.Reflection;
using Microsoft.Extensions.Configuration;
using RlTrainer.Trainer.Errors;

namespace RlTrainer.Trainer.Hosting;

/// <summary>
/// Checks a run's configuration against the options classes before anything is bound: every key must be a property
/// of its section's class (a misspelt one gets the closest known key), and every value must convert to the property's
/// type (a number, true/false, one of an enum's names). The binder would otherwise throw with a stack trace, or, for a
/// misspelt section, silently use the defaults.
/// </summary>
public static class ConfigurationKeyCheck
{
    /// <summary>Top-level sections read by the host itself, free-form.</summary>
    private static readonly string[] HostSections = { "Logging" };

    /// <summary>Keys the host builder sets for itself.</summary>
    private static readonly string[] HostKeys =
        { Microsoft.Extensions.Hosting.HostDefaults.ApplicationKey, Microsoft.Extensions.Hosting.HostDefaults.ContentRootKey,
          Microsoft.Extensions.Hosting.HostDefaults.EnvironmentKey };

    /// <summary>Keys that had another home once: setting the old one names the new one, instead of a near-miss hint.</summary>
    private static readonly Dictionary<string, string> MovedKeys = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Algorithm:Grpo:NumIterations"] = "Training:NumIterations",
        ["Algorithm:Grpo:MaskTruncatedCompletions"] = "Training:MaskTruncatedCompletions",
    };

    /// <summary>Throws <see cref="BadInputException"/> listing every problem, each prefixed by where the key was set.</summary>
    public static void ThrowIfInvalid(IConfiguration configuration, IEnumerable<OptionsSection> sections, ConfigurationOrigin origin)
    {
        var failures = Failures(configuration, sections);
        if (failures.Count > 0) throw new BadInputException(string.Join(Environment.NewLine, failures.Select(origin.Prefix)));
    }

    /// <summary>One "Key: problem" or "Key = value: problem" line per problem; empty when the configuration fits.</summary>
    public static IReadOnlyList<string> Failures(IConfiguration configuration, IEnumerable<OptionsSection> sections)
    {
        var failures = new List<string>();
        var paths = sections.Select(s => s.Path).ToList();
        var topLevel = paths.Select(p => p.Split(':')[0]).Concat(HostSections).Distinct().ToList();
        foreach (var child in configuration.GetChildren())
        {
            if (HostKeys.Contains(child.Key, StringComparer.OrdinalIgnoreCase)) continue;
            if (!topLevel.Contains(child.Key, StringComparer.OrdinalIgnoreCase))
                failures.Add($"{child.Key}: unknown section{Hint(child.Key, topLevel, "", $"the sections are {string.Join(", ", topLevel)}")}");
        }
        foreach (var (type, path, _) in sections)
        {
            // Sub-sections bound to classes of their own ("Algorithm:Grpo") are keys of their parent too.
            var nested = paths.Where(s => s.StartsWith(path + ":", StringComparison.OrdinalIgnoreCase)
                                          && s.IndexOf(':', path.Length + 1) < 0)
                .Select(s => s[(path.Length + 1)..]).ToList();
            CheckObject(configuration.GetSection(path), type, nested, failures);
        }
        return failures;
    }

    private static void Check(IConfigurationSection section, Type type, List<string> failures)
    {
        var underlying = Nullable.GetUnderlyingType(type) ?? type;
        if (IsScalar(underlying)) CheckScalar(section, type, underlying, failures);
        else if (DictionaryValueType(type) is { } valueType)
        {
            foreach (var child in section.GetChildren()) Check(child, valueType, failures);
        }
        else if (ListItemType(type) is { } itemType)
        {
            // A later layer may set a value over a list the file gave: the binder would ignore it.
            if (section.Value is { Length: > 0 } v)
                failures.Add($"{section.Path} = '{v}': expected a list ([ ... ]), not a single value (one item on the command line: --{section.Path}:0=VALUE).");
            foreach (var child in section.GetChildren())
            {
                if (!int.TryParse(child.Key, NumberStyles.None, CultureInfo.InvariantCulture, out _))
                    failures.Add($"{child.Path}: expected a list ([ ... ]), not an object with key '{child.Key}'.");
                else Check(child, itemType, failures);
            }
        }
        else CheckObject(section, type, [], failures);
    }

    private static void CheckObject(IConfigurationSection section, Type type, IReadOnlyList<string> nested, List<string> failures)
    {
        if (section.Value is { Length: > 0 } v)
        {
            failures.Add($"{section.Path} = '{v}': expected an object ({{ ... }}), not a single value.");
            return;
        }
        var properties = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanWrite || !IsScalar(Nullable.GetUnderlyingType(p.PropertyType) ?? p.PropertyType))
            .ToDictionary(p => p.Name, StringComparer.OrdinalIgnoreCase);
        foreach (var child in section.GetChildren())
        {
            if (properties.TryGetValue(child.Key, out var property)) Check(child, property.PropertyType, failures);
            else if (MovedKeys.TryGetValue(child.Path, out var moved)) failures.Add($"{child.Path}: unknown key; it moved to {moved}.");
            else if (!nested.Contains(child.Key, StringComparer.OrdinalIgnoreCase))
            {
                var known = properties.Keys.Concat(nested).ToList();
                failures.Add($"{child.Path}: unknown key{Hint(child.Key, known, section.Path + ":", $"{section.Path} holds {string.Join(", ", known)}")}");
            }
        }
    }

    private static void CheckScalar(IConfigurationSection section, Type type, Type underlying, List<string> failures)
    {
        if (section.GetChildren().Any())
        {
            failures.Add($"{section.Path}: expected a single value ({Describe(underlying)}), not an object or a list.");
            return;
        }
        var value = section.Value;
        // Null or empty: the binder leaves the default (or null for a nullable property).
        if (string.IsNullOrEmpty(value) || underlying == typeof(string)) return;
        try
        {
            TypeDescriptor.GetConverter(underlying).ConvertFromInvariantString(value);
        }
        catch (Exception e) when (e is FormatException or ArgumentException or NotSupportedException or OverflowException
                                      || e.InnerException is FormatException or OverflowException)
        {
            var hint = underlying.IsEnum ? Hint(value, Enum.GetNames(underlying), "", "") : "";
            failures.Add($"{section.Path} = '{value}': expected {Describe(underlying)}{(hint.Length > 0 ? hint : ".")}");
        }
    }

    /// "; did you mean PREFIX+closest?", else "; " + the fallback sentence (or nothing when it is empty).
    private static string Hint(string typed, IEnumerable<string> known, string prefix, string fallback) =>
        ClosestName.Find(typed, known) is { } closest ? $"; did you mean {prefix}{closest}?"
        : fallback.Length > 0 ? $"; {fallback}." : "";

    private static string Describe(Type t) => t switch
    {
        _ when t.IsEnum => "one of " + string.Join(", ", Enum.GetNames(t)),
        _ when t == typeof(bool) => "true or false",
        _ when t == typeof(int) || t == typeof(long) || t == typeof(short) || t == typeof(byte) => "a whole number",
        _ when t == typeof(double) || t == typeof(float) || t == typeof(decimal) => "a number",
        _ => $"a {t.Name} value",
    };

    private static bool IsScalar(Type t) => t.IsPrimitive || t.IsEnum || t == typeof(string) || t == typeof(decimal)
                                            || t == typeof(TimeSpan) || t == typeof(DateTime) || t == typeof(Uri);

    private static Type? DictionaryValueType(Type t) =>
        t.IsGenericType && t.GetGenericTypeDefinition() is var d
        && (d == typeof(Dictionary<,>) || d == typeof(IDictionary<,>) || d == typeof(IReadOnlyDictionary<,>))
            ? t.GetGenericArguments()[1] : null;

    private static Type? ListItemType(Type t)
    {
        if (t.IsArray) return t.GetElementType();
        if (!t.IsGenericType || !typeof(IEnumerable).IsAssignableFrom(t)) return null;
        return t.GetGenericArguments()[0];
    }
}
