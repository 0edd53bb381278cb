using System.Reflection;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using RlTrainer.Rollout.Model;
using RlTrainer.Trainer.Engines;

namespace RlTrainer.Trainer.Serving;

/// <summary>
/// `rltrainer serve` as an ASP.NET Core minimal API over the built-in sampler: vLLM's /v1/completions subset,
/// /v1/models and /version, its dev-mode /collective_rpc (reload_weights only) and /reset_prefix_cache; SGLang's
/// /generate, /update_weights_from_disk and /get_server_info; the LoRA endpoints of both (<see cref="AdapterEndpoints"/>);
/// and /health. Everything but /health needs the API key when one is set.
/// </summary>
public static class InferenceHost
{
    public static WebApplication Build(ServeOptions options)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss "; });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.UseUrls($"http://{(options.Host.Contains(':') ? $"[{options.Host}]" : options.Host)}:{options.Port}");
        var generator = new BatchingGenerator(options.ModelDir, ComputeDevice.Parse(options.Device), options.MaxBatchRows, options.AdapterDir);
        builder.Services.AddSingleton(generator);
        var app = builder.Build();
        var modelName = options.ServedModelName ?? Path.GetFileName(Path.GetFullPath(options.ModelDir).TrimEnd('/'));

        if (!string.IsNullOrEmpty(options.ApiKey))
            app.Use(async (ctx, next) =>
            {
                if (ctx.Request.Path != "/health" && ctx.Request.Headers.Authorization.ToString() != "Bearer " + options.ApiKey)
                {
                    ctx.Response.StatusCode = StatusCodes.Status401Unauthorized;
                    await ctx.Response.WriteAsJsonAsync(Error("missing or wrong API key (Authorization: Bearer KEY)"));
                    return;
                }
                await next(ctx);
            });

        app.MapGet("/health", () => Results.Ok());
        // vLLM lists each loaded LoRA adapter as a model whose parent is the base.
        app.MapGet("/v1/models", () => Json(new JsonObject
        {
            ["object"] = "list",
            ["data"] = new JsonArray(generator.Adapters.OrderBy(a => a.Key, StringComparer.Ordinal)
                .Select(a => (JsonNode)new JsonObject { ["id"] = a.Key, ["object"] = "model", ["owned_by"] = "rltrainer", ["root"] = a.Value, ["parent"] = modelName })
                .Prepend(new JsonObject { ["id"] = modelName, ["object"] = "model", ["owned_by"] = "rltrainer" }).ToArray()),
        }));
        var version = typeof(InferenceHost).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0";
        app.MapGet("/version", () => Json(new JsonObject { ["version"] = version, ["server"] = "rltrainer serve" }));
        // SGLang answers its server arguments plus "version"; serve has no batch-invariant kernels, so it reports
        // enable_deterministic_inference false even though it honours sampling_seed.
        app.MapGet("/get_server_info", () => Json(new JsonObject
        {
            ["version"] = version,
            ["server"] = "rltrainer serve",
            ["model_path"] = Path.GetFullPath(options.ModelDir),
            ["served_model_name"] = modelName,
            ["context_length"] = generator.ContextLength,
            ["enable_deterministic_inference"] = false,
            ["weight_version"] = generator.WeightVersion,
        }));
        // The built-in sampler keeps no prefix cache across requests: nothing to drop, answered as current vLLM does.
        app.MapPost("/reset_prefix_cache", () => Json(new JsonObject { ["success"] = true }));
        app.MapPost("/v1/completions", (HttpRequest r) => Handle(r, async body =>
        {
            var model = body?["model"]?.ToString() ?? modelName;
            if (model != modelName && !generator.Adapters.ContainsKey(model)) throw VllmCompletionsApi.UnknownModel(model);
            return await VllmCompletionsApi.CompleteAsync(body, generator, model, model == modelName ? null : model);
        }));
        app.MapPost("/generate", (HttpRequest r) => Handle(r, body => SglangGenerateApi.GenerateAsync(body, generator)));
        app.MapPost("/update_weights_from_disk", (HttpRequest r) => Handle(r, async body =>
        {
            var dir = body?["model_path"]?.ToString() ?? throw new ServeRequestException("field \"model_path\" is missing.");
            var label = await Reload(generator, dir, body?["weight_version"]?.ToString());
            return new JsonObject { ["success"] = true, ["message"] = $"loaded {dir} as weight version {label}", ["num_paused_requests"] = 0 };
        }));
        app.MapPost("/collective_rpc", (HttpRequest r) => Handle(r, async body =>
        {
            var method = body?["method"]?.ToString();
            if (method != "reload_weights")
                throw new ServeRequestException($"field \"method\" = '{method}': rltrainer serve supports only reload_weights.");
            var dir = body?["kwargs"]?["weights_path"]?.ToString() ?? throw new ServeRequestException("field \"kwargs.weights_path\" is missing.");
            await Reload(generator, dir, null);
            return new JsonObject { ["results"] = new JsonArray((JsonNode?)null) };
        }));
        AdapterEndpoints.Map(app, generator);
        app.Lifetime.ApplicationStopped.Register(generator.Dispose);
        return app;
    }

    private static async Task<string> Reload(BatchingGenerator generator, string dir, string? label)
    {
        if (!File.Exists(Path.Combine(dir, "config.json")))
            throw new ServeRequestException($"'{dir}' is not a Hugging Face model folder (no config.json).");
        try { return await generator.ReloadAsync(dir, label ?? Path.GetFileName(dir.TrimEnd('/'))); }
        catch (Exception e) when (e is InvalidDataException or IOException) { throw new ServeRequestException($"loading '{dir}': {e.Message}"); }
    }

    internal static Task<IResult> Handle(HttpRequest request, Func<JsonNode?, Task<JsonNode>> body) =>
        HandleResult(request, async parsed => Json(await body(parsed)));

    /// <summary>Parses the body and answers what <paramref name="answer"/> returns, or the error of a refused request.</summary>
    internal static async Task<IResult> HandleResult(HttpRequest request, Func<JsonNode?, Task<IResult>> answer)
    {
        JsonNode? parsed;
        try { parsed = await JsonNode.ParseAsync(request.Body); }
        catch (System.Text.Json.JsonException e) { return Results.Json(Error($"request body is not JSON: {e.Message}"), statusCode: 400); }
        try { return await answer(parsed); }
        catch (ServeRequestException e) { return Results.Json(Error(e.Message, e.Status, e.Type), statusCode: e.Status); }
    }

    internal static IResult Json(JsonNode node) => Results.Text(node.ToJsonString(), "application/json");

    /// vLLM's flat ErrorResponse (object, message, type, code), with SGLang's "success": false.
    private static JsonObject Error(string message, int status = 400, string type = "BadRequestError") => new()
    {
        ["object"] = "error", ["message"] = message, ["type"] = type, ["code"] = status, ["success"] = false,
    };
}
