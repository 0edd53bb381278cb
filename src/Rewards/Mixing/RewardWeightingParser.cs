using System.Text.Json;
using System.Text.Json.Nodes;
using RlTrainer.Rewards.Weighting;

namespace RlTrainer.Rewards.Mixing;

/// <summary>
/// Reads the reward mix's dynamic-weighting keys: <c>"weighting": "static" | "hypervolume" | "gradient"</c> with its
/// object <c>"hypervolume"</c> or <c>"gradient"</c>. The former <c>"normalization"</c> and <c>"tmn"</c> keys are errors
/// that name their new home, the trainer's Algorithm:Advantage section; the hypervolume's former <c>"objectives"</c>
/// list is an error that names its new key, <c>"tracked"</c>.
/// A method's object next to another method is an error, so a typo in the method name cannot silently drop it.
/// </summary>
internal static class RewardWeightingParser
{
    /// <summary>Keys that left the mix, and the run-configuration keys that replace them.</summary>
    private static readonly (string Key, string Home)[] MovedKeys =
    {
        ("normalization", "Algorithm:Advantage:Normalization (Group, Tmn or Rloo)"),
        ("tmn", "Algorithm:Advantage:Tmn:Alpha, :Gamma, :Epsilon, :DifficultyReweight"),
    };

    public static RewardWeightingOptions Read(JsonElement root, IReadOnlyList<RewardComponent> components, string source)
    {
        var method = ReadEnum(root, "weighting", source, WeightingMethod.Static,
            ("static", WeightingMethod.Static), ("hypervolume", WeightingMethod.Hypervolume), ("gradient", WeightingMethod.Gradient));
        foreach (var (key, home) in MovedKeys)
            if (root.TryGetProperty(key, out var moved))
                throw new RewardConfigException(source, $"$.{key}", $"{RewardMixParser.Show(moved)}: advantage normalisation moved out of the reward mix; set {home} in the run configuration");
        RequireOnlyWith(root, "hypervolume", "weighting", "hypervolume", method == WeightingMethod.Hypervolume, source);
        RequireOnlyWith(root, "gradient", "weighting", "gradient", method == WeightingMethod.Gradient, source);

        var options = new RewardWeightingOptions { Method = method };
        return method switch
        {
            WeightingMethod.Hypervolume => options with { Hypervolume = ReadHypervolume(root, components, source) },
            WeightingMethod.Gradient => options with { Gradient = ReadGradient(root, components, source) },
            _ => options,
        };
    }

    private static HypervolumeWeightingOptions ReadHypervolume(JsonElement root, IReadOnlyList<RewardComponent> components, string source)
    {
        const string path = "$.hypervolume";
        if (!root.TryGetProperty("hypervolume", out var element))
            throw new RewardConfigException(source, path, "missing: \"weighting\": \"hypervolume\" needs { \"tracked\": [ { \"name\", \"direction\" }, ... ] }");
        if (element.ValueKind != JsonValueKind.Object)
            throw new RewardConfigException(source, path, $"expected an object, got {RewardMixParser.Show(element)}");
        var tracked = ReadTracked(element, components, source, path);
        // The scalar options go through the shared reader (unknown keys, ranges); the tracked list is read above.
        var rest = JsonNode.Parse(element.GetRawText())!.AsObject();
        rest.Remove("tracked");
        using var restDocument = JsonDocument.Parse(rest.ToJsonString());
        var options = RewardMixParser.ReadOptions<HypervolumeWeightingOptions>(restDocument.RootElement, source, path);
        return options with { TrackedComponents = tracked };
    }

    private static List<TrackedComponent> ReadTracked(JsonElement element, IReadOnlyList<RewardComponent> components,
        string source, string path)
    {
        // "objectives" was this list's key; in this project an objective is the policy loss, not a reward component.
        if (element.TryGetProperty("objectives", out _))
            throw new RewardConfigException(source, $"{path}.objectives",
                "renamed to \"tracked\": write \"tracked\": [ { \"name\", \"direction\" }, ... ]");
        if (!element.TryGetProperty("tracked", out var list))
            throw new RewardConfigException(source, $"{path}.tracked", "missing: list the components to track, each with a \"direction\"");
        if (list.ValueKind != JsonValueKind.Array || list.GetArrayLength() == 0)
            throw new RewardConfigException(source, $"{path}.tracked", $"expected a non-empty array, got {RewardMixParser.Show(list)}");
        var tracked = new List<TrackedComponent>();
        int index = 0;
        foreach (var item in list.EnumerateArray())
        {
            var at = $"{path}.tracked[{index++}]";
            if (item.ValueKind != JsonValueKind.Object)
                throw new RewardConfigException(source, at, $"expected an object, got {RewardMixParser.Show(item)}");
            RewardMixParser.CheckKeys(item, source, at, "name", "direction");
            var name = RewardMixParser.ReadString(item, "name", source, at);
            if (components.All(c => c.Name != name))
                throw new RewardConfigException(source, $"{at}.name",
                    $"\"{name}\" is not a component; components: {string.Join(", ", components.Select(c => c.Name))}");
            if (tracked.Any(t => t.Name == name)) throw new RewardConfigException(source, $"{at}.name", $"duplicate tracked component \"{name}\"");
            if (!item.TryGetProperty("direction", out var direction))
                throw new RewardConfigException(source, $"{at}.direction", $"missing for tracked component \"{name}\": expected \"maximize\" or \"minimize\"");
            var parsed = direction.ValueKind == JsonValueKind.String ? direction.GetString() : null;
            tracked.Add(new TrackedComponent(name, parsed switch
            {
                "maximize" => ComponentDirection.Maximize,
                "minimize" => ComponentDirection.Minimize,
                _ => throw new RewardConfigException(source, $"{at}.direction",
                    $"expected \"maximize\" or \"minimize\", got {RewardMixParser.Show(direction)}"),
            }));
        }
        return tracked;
    }

    private static GradientWeightingOptions ReadGradient(JsonElement root, IReadOnlyList<RewardComponent> components, string source)
    {
        // One gradient per component: with one component the influence only rescales a weight that is always 1.
        if (components.Count < 2)
            throw new RewardConfigException(source, "$.weighting",
                $"\"gradient\" needs at least two components (one policy gradient per component), got {components.Count}");
        for (int k = 0; k < components.Count; k++)
        {
            if (!(components[k].Weight > 0))
                throw new RewardConfigException(source, $"$.components[{k}].weight",
                    $"\"gradient\" weighting starts from the weights normalised to sum 1, so each must be positive, got {components[k].Weight}");
        }
        var options = RewardMixParser.ReadOptions<GradientWeightingOptions>(Optional(root, "gradient"), source, "$.gradient");
        if (options.TargetLayers is { } layers && (layers.Count == 0 || layers.Any(l => l < 0)))
            throw new RewardConfigException(source, "$.gradient.target_layers",
                $"expected a non-empty list of layer indices >= 0, got [{string.Join(", ", layers)}]");
        return options;
    }

    private static JsonElement? Optional(JsonElement root, string key) => root.TryGetProperty(key, out var v) ? v : null;

    private static T ReadEnum<T>(JsonElement root, string key, string source, T fallback, params (string Name, T Value)[] values)
    {
        if (!root.TryGetProperty(key, out var value)) return fallback;
        var names = string.Join(" or ", values.Select(v => $"\"{v.Name}\""));
        if (value.ValueKind != JsonValueKind.String)
            throw new RewardConfigException(source, $"$.{key}", $"expected {names}, got {RewardMixParser.Show(value)}");
        var text = value.GetString();
        foreach (var (name, v) in values) if (name == text) return v;
        throw new RewardConfigException(source, $"$.{key}", $"unknown {key} {RewardMixParser.Show(value)}; expected {names}");
    }

    private static void RequireOnlyWith(JsonElement root, string key, string selector, string selected, bool isSelected, string source)
    {
        if (!isSelected && root.TryGetProperty(key, out _))
            throw new RewardConfigException(source, $"$.{key}", $"only read with \"{selector}\": \"{selected}\"; set it or remove this object");
    }
}
