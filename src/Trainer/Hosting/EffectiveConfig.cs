using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace RlTrainer.Trainer.Hosting;

/// <summary>Writes the options the run actually uses (file + environment + command line, defaults filled in) as
/// effective-config.json in the run folder, in the same section layout as the input config.</summary>
public static class EffectiveConfig
{
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter() },
    };

    /// <summary>Every section of the host's <see cref="OptionsSections"/>; a sub-section ("Algorithm:Grpo") goes inside
    /// its parent, after the parent's own keys.</summary>
    public static JsonObject Build(IServiceProvider services)
    {
        var root = new JsonObject();
        foreach (var (type, section, _) in services.GetRequiredService<OptionsSections>().OrderBy(s => s.Path.Count(c => c == ':')))
        {
            var accessor = services.GetService(typeof(IOptions<>).MakeGenericType(type))!;
            var value = accessor.GetType().GetProperty("Value")!.GetValue(accessor);
            var node = JsonSerializer.SerializeToNode(value, type, Json)!.AsObject();
            var parts = section.Split(':');
            var parent = root;
            foreach (var p in parts.SkipLast(1)) parent = (JsonObject)(parent[p] ??= new JsonObject());
            if (parent[parts[^1]] is JsonObject existing)
                foreach (var (k, v) in node.ToList()) { node.Remove(k); existing[k] = v; }
            else parent[parts[^1]] = node;
        }
        return root;
    }

    public static void Write(IServiceProvider services, string runDir)
    {
        Directory.CreateDirectory(runDir);
        File.WriteAllText(Path.Combine(runDir, "effective-config.json"), Build(services).ToJsonString(Json) + "\n");
    }
}
