using RlTrainer.Rollout.Tokenization;

namespace RlTrainer.Trainer.Data;

/// <summary>
/// One RL training or evaluation example: a chat prompt and the verifiable answer its completion is scored against.
/// </summary>
/// <param name="Prompt">The chat messages in order (a single user message for GSM8K, MATH and the generated sets).</param>
/// <param name="GroundTruth">The gold answer a verifier compares against, e.g. "72" or "\frac{3}{4}".</param>
/// <param name="DataSource">Which data set the row belongs to ("openai/gsm8k", "arith"); rewards and eval group by it.</param>
/// <param name="Ability">The verl "ability" tag ("math"), or null where the file has none.</param>
/// <param name="Target">A reference completion for SFT (e.g. a worked solution ending in \boxed{N}), or null.</param>
public sealed record RlExample(
    IReadOnlyList<ChatMessage> Prompt,
    string GroundTruth,
    string DataSource,
    string? Ability = null,
    string? Target = null)
{
    /// <summary>The file the row was read from, as given or as expanded from a glob; empty for generated rows.</summary>
    public string SourceFile { get; init; } = "";

    /// <summary>The 0-based row number within <see cref="SourceFile"/> (or within the generated split).</summary>
    public long Index { get; init; }

    /// <summary>
    /// The scalar fields of the verl <c>extra_info</c> struct (or the column mapped as extra info), keyed by their
    /// dotted path inside it; values are string, long, int, double, float or bool, or null. Empty when there is none.
    /// </summary>
    public IReadOnlyDictionary<string, object?> ExtraInfo { get; init; } = EmptyExtraInfo;

    private static readonly IReadOnlyDictionary<string, object?> EmptyExtraInfo = new Dictionary<string, object?>();
}
