using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using RlTrainer.Rollout.Model;

namespace RlTrainer.Trainer.Serving;

/// <summary>
/// Runtime LoRA loading as both engines spell it. vLLM: POST /v1/load_lora_adapter {"lora_name", "lora_path"} and
/// /v1/unload_lora_adapter {"lora_name"}, answered 200 with plain text "Success: LoRA adapter 'NAME' added
/// successfully" (or "removed"); an unknown name to unload is 404 NotFoundError. SGLang: POST /load_lora_adapter and
/// /unload_lora_adapter with the same fields, answered {"success", "error_message", "loaded_adapters": {name: path}}.
/// A name already loaded, or a folder that is not a PEFT adapter of this model, is HTTP 400. Each adapter applies to
/// the base weights (not on top of a launch --adapter); serve keeps every loaded one until it is unloaded.
/// </summary>
public static class AdapterEndpoints
{
    public static void Map(WebApplication app, BatchingGenerator generator)
    {
        app.MapPost("/v1/load_lora_adapter", (HttpRequest r) => InferenceHost.HandleResult(r, async body =>
        {
            var name = await Load(generator, body);
            return Results.Text($"Success: LoRA adapter '{name}' added successfully.", "text/plain");
        }));
        app.MapPost("/v1/unload_lora_adapter", (HttpRequest r) => InferenceHost.HandleResult(r, async body =>
        {
            var name = Name(body);
            try { await generator.UnloadAdapterAsync(name); }
            catch (AdapterNotFoundException) { throw new ServeRequestException($"The lora adapter '{name}' cannot be found.", 404, "NotFoundError"); }
            return Results.Text($"Success: LoRA adapter '{name}' removed successfully.", "text/plain");
        }));
        app.MapPost("/load_lora_adapter", (HttpRequest r) => InferenceHost.HandleResult(r, async body =>
        {
            await Load(generator, body);
            return SglangAnswer(generator);
        }));
        app.MapPost("/unload_lora_adapter", (HttpRequest r) => InferenceHost.HandleResult(r, async body =>
        {
            try { await generator.UnloadAdapterAsync(Name(body)); }
            catch (AdapterNotFoundException e) { throw new ServeRequestException(e.Message); }
            return SglangAnswer(generator);
        }));
    }

    private static async Task<string> Load(BatchingGenerator generator, JsonNode? body)
    {
        var name = Name(body);
        var dir = RequestFields.Get<string?>(body, "lora_path", null) ?? throw new ServeRequestException("field \"lora_path\" is missing.");
        if (!File.Exists(Path.Combine(dir, PeftAdapterFolder.ConfigFile)))
            throw new ServeRequestException($"field \"lora_path\" = '{dir}' is not a PEFT adapter folder (no {PeftAdapterFolder.ConfigFile}).");
        try { await generator.LoadAdapterAsync(name, dir); }
        catch (Exception e) when (e is IOException or InvalidDataException or ArgumentException or InvalidOperationException)
        {
            throw new ServeRequestException($"loading LoRA adapter '{name}' from '{dir}': {e.Message}");
        }
        return name;
    }

    private static string Name(JsonNode? body) =>
        RequestFields.Get<string?>(body, "lora_name", null) is { Length: > 0 } name ? name : throw new ServeRequestException("field \"lora_name\" is missing or empty.");

    private static IResult SglangAnswer(BatchingGenerator generator) => InferenceHost.Json(new JsonObject
    {
        ["success"] = true,
        ["error_message"] = "",
        ["loaded_adapters"] = new JsonObject(generator.Adapters.OrderBy(a => a.Key, StringComparer.Ordinal)
            .Select(a => KeyValuePair.Create(a.Key, (JsonNode?)a.Value))),
    });
}
