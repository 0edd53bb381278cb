using System.Text.Json.Nodes;
using RlTrainer.Rollout.Sampling;

namespace RlTrainer.Trainer.Engines;

/// <summary>How one engine family spells a generation request, its answer, and a load-weights-from-disk call.</summary>
public interface IEngineDialect
{
    string GeneratePath { get; }

    JsonObject GenerateBody(PromptJob job, SamplingOptions options);

    /// <summary>Exactly <c>job.N</c> completions in sample order; throws <see cref="FormatException"/> naming the field on a
    /// malformed answer.</summary>
    IReadOnlyList<EngineReply> ParseGenerate(JsonNode? response, PromptJob job);

    /// <summary>Path and body that make the engine load the Hugging Face folder <paramref name="dir"/>.</summary>
    (string Path, JsonObject Body) LoadWeights(string dir, int version);

    /// <summary>Null when the load answer means success, else the engine's message.</summary>
    string? LoadFailure(JsonNode? response);
}
