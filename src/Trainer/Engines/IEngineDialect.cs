using System.Text.Json.Nodes;
using RlTrainer.Rollout.Sampling;

namespace RlTrainer.Trainer.Engines;

/// <summary>How one engine family spells a generation request, its answer, a load-weights-from-disk call, the cache
/// reset after it, the LoRA adapter load and unload calls, and what the engine says about itself at start.</summary>
public interface IEngineDialect
{
    string GeneratePath { get; }

    /// <param name="adapter">The name of a LoRA adapter loaded with <see cref="LoadAdapter"/> to sample with; null
    /// for the engine's weights.</param>
    JsonObject GenerateBody(PromptJob job, SamplingOptions options, string? adapter = null);

    /// <summary>Exactly <c>job.N</c> completions in sample order; throws <see cref="FormatException"/> naming the field on a
    /// malformed answer.</summary>
    IReadOnlyList<EngineReply> ParseGenerate(JsonNode? response, PromptJob job);

    /// <summary>Path and body that make the engine load the Hugging Face folder <paramref name="dir"/>.</summary>
    (string Path, JsonObject Body) LoadWeights(string dir, int version);

    /// <summary>Null when the load answer (null for an empty body) means success, else the engine's message.</summary>
    string? LoadFailure(JsonNode? response);

    /// <summary>Path and body that make the engine load the PEFT adapter folder <paramref name="dir"/> under
    /// <paramref name="name"/>; the answer may be plain text.</summary>
    (string Path, JsonObject Body) LoadAdapter(string name, string dir);

    /// <summary>Null when the 2xx adapter-load answer (null for an empty body, a JSON string for plain text) means
    /// success, else the engine's message.</summary>
    string? AdapterLoadFailure(JsonNode? response);

    /// <summary>Path and body that make the engine drop the adapter <paramref name="name"/>.</summary>
    (string Path, JsonObject Body) UnloadAdapter(string name);

    /// <summary>POSTed after a successful load to drop prefix-cache entries computed with the old weights; null when the
    /// load already does it.</summary>
    string? CacheResetPath { get; }

    /// <summary>Null when the cache-reset answer (null for an empty body) means success, else why not.</summary>
    string? CacheResetFailure(JsonNode? response);

    /// <summary>GET at start: the engine's version and capabilities.</summary>
    string InfoPath { get; }

    /// <summary>Throws <see cref="FormatException"/> when the answer is not this engine family's.</summary>
    EngineInfo ParseInfo(JsonNode? response);
}
