using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace RlTrainer.Trainer.Contracts;

/// <summary>
/// The one JSON style of everything the project writes for people and scripts to read (eval --out, prune-sim --out,
/// trainer_state.json, bench --json, generate, data preview, the rollout log, health answers): snake_case property
/// names and enum values. Dictionary keys are data (data sources, k of pass@k, component names) and stay as given.
/// Non-ASCII and markup characters are written as they are: these files are read as text, never pasted into HTML
/// unescaped. A NaN or infinity is written as the string "NaN" / "Infinity" rather than failing the write. metrics.jsonl
/// lines are JsonObjects whose keys are already spelt this way.
/// </summary>
public static class OutputJson
{
    public static JsonSerializerOptions Compact { get; } = Create(indented: false);
    public static JsonSerializerOptions Indented { get; } = Create(indented: true);

    /// Files written before the snake_case switch: .NET property names as spelt (PascalCase).
    private static readonly JsonSerializerOptions Legacy = new()
    {
        PropertyNameCaseInsensitive = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter() },
    };

    public static string Serialize<T>(T value, bool indented = false) =>
        JsonSerializer.Serialize(value, indented ? Indented : Compact);

    /// <summary>
    /// Reads a file of either style: snake_case as written now, or PascalCase as written before (recognised by an
    /// upper-case first letter in a property name of the top-level object, or of the first object of a top-level array).
    /// </summary>
    /// <exception cref="JsonException">Not valid JSON, or not of the shape of <typeparamref name="T"/>.</exception>
    public static T? Deserialize<T>(string json)
    {
        var node = JsonNode.Parse(json);
        return node is null ? default : node.Deserialize<T>(IsPascalCase(node) ? Legacy : Compact);
    }

    private static bool IsPascalCase(JsonNode node)
    {
        var o = node as JsonObject ?? (node as JsonArray)?.OfType<JsonObject>().FirstOrDefault();
        return o is not null && o.Any(kv => kv.Key.Length > 0 && char.IsUpper(kv.Key[0]));
    }

    private static JsonSerializerOptions Create(bool indented) => new()
    {
        WriteIndented = indented,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };
}
