using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using System.Text.Json.Serialization;
using RlTrainer.Rewards.Functions;
using RlTrainer.Rewards.Verifiers;

namespace RlTrainer.Rewards.Mixing;

/// <summary>
/// Reads a reward mix from JSON (comments and trailing commas allowed; schema in configs/rewards.example.jsonc):
/// <c>{ "aggregation", "epsilon", "components": [ { "name", "type", "weight", "options", "data_sources" } ] }</c>,
/// plus the dynamic weighting keys read by <see cref="RewardWeightingParser"/>.
/// Every error names the source, the JSON path and the offending value.
/// </summary>
public static class RewardMixParser
{
    private static readonly JsonDocumentOptions DocumentOptions = new()
    {
        CommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    private static readonly JsonSerializerOptions OptionsSerializer = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false) },
    };

    private delegate IRewardFunction Factory(JsonElement? options, string source, string path);

    // The reward types a config may name; each parses its own options class.
    private static readonly Dictionary<string, Factory> Types = new()
    {
        [MathAccuracyReward.TypeName] = (o, s, p) => new MathAccuracyReward(ReadOptions<MathVerifierOptions>(o, s, p)),
        [FormatReward.TypeName] = (o, s, p) =>
        {
            var options = ReadOptions<FormatRewardOptions>(o, s, p);
            try { return new FormatReward(options); }
            catch (ArgumentException e) { throw new RewardConfigException(s, p, e.Message); }
        },
        [ExternalRedundancyReward.TypeName] = (o, s, p) => new ExternalRedundancyReward(ReadOptions<MathVerifierOptions>(o, s, p)),
        [OverlongPenaltyReward.TypeName] = (o, s, p) => new OverlongPenaltyReward(ReadOptions<OverlongPenaltyOptions>(o, s, p)),
        [BrevityReward.TypeName] = (o, s, p) => new BrevityReward(ReadOptions<BrevityRewardOptions>(o, s, p)),
        [ToolUseReward.TypeName] = (o, s, p) =>
        {
            try { return new ToolUseReward(ReadOptions<ToolUseRewardOptions>(o, s, p)); }
            catch (ArgumentException e) { throw new RewardConfigException(s, p, e.Message); }
        },
    };

    /// <summary>The reward types a config may use.</summary>
    public static IReadOnlyCollection<string> KnownTypes => Types.Keys;

    /// <exception cref="RewardConfigException">when the file cannot be read or the mix is invalid.</exception>
    public static RewardMix Load(string path)
    {
        string text;
        try { text = File.ReadAllText(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new RewardConfigException(path, "$", $"cannot read the file: {e.Message}");
        }
        return Parse(text, path);
    }

    /// <summary>The mix in <paramref name="path"/>, or <see cref="RewardMix.Default"/> (math_accuracy, weight 1) when null.</summary>
    /// <exception cref="RewardConfigException">when the file cannot be read or the mix is invalid.</exception>
    public static RewardMix LoadOrDefault(string? path) => path is null ? RewardMix.Default : Load(path);

    /// <exception cref="RewardConfigException">when the JSON is malformed or the mix is invalid.</exception>
    public static RewardMix Parse(string json, string source = "<rewards>")
    {
        JsonDocument document;
        try { document = JsonDocument.Parse(json, DocumentOptions); }
        catch (JsonException e)
        {
            throw new RewardConfigException(source, "$", $"malformed JSON at line {e.LineNumber + 1}: {e.Message}");
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw new RewardConfigException(source, "$", $"expected an object, got {Show(root)}");
            CheckKeys(root, source, "$", "aggregation", "epsilon", "components", "weighting", "hypervolume", "gradient",
                "normalization", "tmn"); // the last two only to say where they moved (RewardWeightingParser)
            var aggregation = ReadAggregation(root, source);
            var epsilon = root.TryGetProperty("epsilon", out var eps) ? ReadFinite(eps, source, "$.epsilon", min: 0) : GroupMoments.DefaultEpsilon;
            if (!root.TryGetProperty("components", out var list)) throw new RewardConfigException(source, "$.components", "missing");
            if (list.ValueKind != JsonValueKind.Array || list.GetArrayLength() == 0)
                throw new RewardConfigException(source, "$.components", $"expected a non-empty array, got {Show(list)}");
            var components = new List<RewardComponent>();
            var index = 0;
            foreach (var item in list.EnumerateArray())
            {
                var component = ReadComponent(item, source, $"$.components[{index++}]");
                if (components.Any(c => c.Name == component.Name))
                    throw new RewardConfigException(source, $"$.components[{index - 1}].name", $"duplicate name \"{component.Name}\"");
                components.Add(component);
            }
            return new RewardMix(components, aggregation, epsilon, RewardWeightingParser.Read(root, components, source));
        }
    }

    private static RewardAggregation ReadAggregation(JsonElement root, string source)
    {
        if (!root.TryGetProperty("aggregation", out var value)) return RewardAggregation.SumThenNormalize;
        return value.ValueKind == JsonValueKind.String ? value.GetString() switch
        {
            "sum_then_normalize" => RewardAggregation.SumThenNormalize,
            "normalize_then_sum" => RewardAggregation.NormalizeThenSum,
            _ => throw new RewardConfigException(source, "$.aggregation",
                $"unknown aggregation {Show(value)}; expected \"sum_then_normalize\" or \"normalize_then_sum\""),
        } : throw new RewardConfigException(source, "$.aggregation", $"expected a string, got {Show(value)}");
    }

    private static RewardComponent ReadComponent(JsonElement item, string source, string path)
    {
        if (item.ValueKind != JsonValueKind.Object) throw new RewardConfigException(source, path, $"expected an object, got {Show(item)}");
        CheckKeys(item, source, path, "name", "type", "weight", "options", "data_sources");
        var name = ReadString(item, "name", source, path);
        var type = ReadString(item, "type", source, path);
        if (!Types.TryGetValue(type, out var factory))
            throw new RewardConfigException(source, $"{path}.type",
                $"unknown reward type \"{type}\"; known types: {string.Join(", ", Types.Keys.Order())}");
        // Weight 1 when absent, as TRL's reward_weights default.
        var weight = item.TryGetProperty("weight", out var w) ? ReadFinite(w, source, $"{path}.weight", min: double.MinValue) : 1.0;
        JsonElement? options = item.TryGetProperty("options", out var o) ? o : null;
        if (options is { } opts && opts.ValueKind != JsonValueKind.Object)
            throw new RewardConfigException(source, $"{path}.options", $"expected an object, got {Show(opts)}");
        var function = factory(options, source, $"{path}.options");
        return new RewardComponent(name, function, weight, ReadDataSources(item, source, path));
    }

    private static IReadOnlySet<string>? ReadDataSources(JsonElement item, string source, string path)
    {
        if (!item.TryGetProperty("data_sources", out var value)) return null;
        if (value.ValueKind != JsonValueKind.Array || value.GetArrayLength() == 0
            || value.EnumerateArray().Any(v => v.ValueKind != JsonValueKind.String || string.IsNullOrEmpty(v.GetString())))
            throw new RewardConfigException(source, $"{path}.data_sources", $"expected a non-empty array of names, got {Show(value)}");
        return value.EnumerateArray().Select(v => v.GetString()!).ToHashSet();
    }

    private static readonly JsonElement EmptyObject = JsonDocument.Parse("{}").RootElement.Clone();

    internal static T ReadOptions<T>(JsonElement? element, string source, string path) where T : class
    {
        T options;
        try
        {
            // An absent "options" reads as {} so that required options are still reported as missing.
            options = (element ?? EmptyObject).Deserialize<T>(OptionsSerializer)
                      ?? throw new RewardConfigException(source, path, "expected an object, got null");
        }
        catch (JsonException e)
        {
            var at = e.Path is { Length: > 1 } p ? path + p[1..] : path;
            throw new RewardConfigException(source, at, e.Message);
        }
        var results = new List<ValidationResult>();
        if (!Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true))
        {
            var first = results[0];
            var member = first.MemberNames.FirstOrDefault();
            var key = member is null ? "" : "." + JsonNamingPolicy.SnakeCaseLower.ConvertName(member);
            var value = member is null ? null : typeof(T).GetProperty(member)?.GetValue(options);
            throw new RewardConfigException(source, path + key, $"{first.ErrorMessage} (got {value ?? "null"})");
        }
        return options;
    }

    internal static void CheckKeys(JsonElement obj, string source, string path, params string[] allowed)
    {
        foreach (var property in obj.EnumerateObject())
        {
            if (!allowed.Contains(property.Name))
                throw new RewardConfigException(source, $"{path}.{property.Name}",
                    $"unknown key; expected one of: {string.Join(", ", allowed)}");
        }
    }

    internal static string ReadString(JsonElement obj, string key, string source, string path)
    {
        if (!obj.TryGetProperty(key, out var value)) throw new RewardConfigException(source, $"{path}.{key}", "missing");
        if (value.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(value.GetString()))
            throw new RewardConfigException(source, $"{path}.{key}", $"expected a non-empty string, got {Show(value)}");
        return value.GetString()!;
    }

    private static double ReadFinite(JsonElement value, string source, string path, double min)
    {
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out var d) || !double.IsFinite(d))
            throw new RewardConfigException(source, path, $"must be a finite number, got {Show(value)}");
        if (d < min) throw new RewardConfigException(source, path, $"must be at least {min}, got {Show(value)}");
        return d;
    }

    internal static string Show(JsonElement value)
    {
        var raw = value.GetRawText();
        return raw.Length > 60 ? raw[..57] + "..." : raw;
    }
}
