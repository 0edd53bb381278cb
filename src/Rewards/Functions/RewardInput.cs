using RlTrainer.Rewards.Verifiers;

namespace RlTrainer.Rewards.Functions;

/// <summary>
/// One completion to score. The trainer fills the token counts (the overlong penalty needs them) and the data
/// source (the mix routes components by it); <see cref="Prompt"/> is there for rewards that look at the problem,
/// such as the redundancy penalty of docs/algorithms.md#external-redundancy, which locate the answer relative to the problem text.
/// </summary>
public sealed record RewardInput(string Completion, string? GroundTruth)
{
    /// <summary>Tokens in the completion, |y|.</summary>
    public int? CompletionTokens { get; init; }

    /// <summary>The generation limit L_max the completion was sampled under.</summary>
    public int? MaxCompletionTokens { get; init; }

    /// <summary>Dataset name ("gsm8k", "math", …) as written in the data file.</summary>
    public string? DataSource { get; init; }

    public string? Prompt { get; init; }

    /// <summary>End offset in <see cref="Completion"/> of each completion token (non-decreasing); lets
    /// token-based rewards such as <c>external_redundancy</c> map a text position back to a token count.</summary>
    public IReadOnlyList<int>? TokenCharEnds { get; init; }

    /// <summary>The tool calls of a multi-turn rollout, in order (docs/algorithms.md#tool-calls); empty when tools
    /// were on and the completion made none, null when tools were off. <see cref="Completion"/> is then the whole
    /// transcript: assistant turns and the injected tool turns, special tokens removed.</summary>
    public IReadOnlyList<ToolCallRecord>? ToolCalls { get; init; }

    /// <summary>The model's own turns of a multi-turn transcript: each run of sampled tokens decoded on its own
    /// (special tokens removed), the injected tool turns between them left out. Null when the caller knows no more
    /// than <see cref="Completion"/> (tools off, or a transcript read back from text).</summary>
    public IReadOnlyList<string>? ModelTurns { get; init; }

    /// <summary>The text a verifier reads the answer from: <see cref="ModelTurns"/> without their tool-call blocks, or
    /// else <see cref="Completion"/>, from which the answer extractor leaves tool markup out by its text
    /// (<see cref="ModelAuthoredText"/>).</summary>
    public string AnswerText => ModelTurns is null ? Completion : ModelAuthoredText.FromTurns(ModelTurns);
}
