using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using RlTrainer.Trainer.Reporting;
using RlTrainer.Trainer.Contracts;

namespace RlTrainer.Trainer.Telemetry;

/// <summary>
/// The body of a health answer: one JSON object with the status ("healthy", "unhealthy"), the check's description and
/// its data (phase, last_step, last_step_time, ...), in the project's JSON style. The HTTP status says the same
/// (200 healthy, 503 unhealthy).
/// </summary>
public static class HealthResponseWriter
{
    public static Task Write(HttpContext context, HealthReport report)
    {
        var body = new JsonObject { ["status"] = report.Status.ToString().ToLowerInvariant() };
        foreach (var (_, entry) in report.Entries)
        {
            body["description"] = entry.Description;
            foreach (var (key, value) in entry.Data) body[key] = JsonSerializer.SerializeToNode(value, OutputJson.Compact);
        }
        context.Response.ContentType = "application/json; charset=utf-8";
        return context.Response.WriteAsync(body.ToJsonString(OutputJson.Compact) + "\n");
    }
}
