namespace RlTrainer.Rewards.Functions;

/// <summary>
/// One tool call made while a completion was sampled: what the model asked, what it was told, how long it took.
/// Rewards read these from <see cref="RewardInput.ToolCalls"/>; the rollout log writes them per sample.
/// </summary>
/// <param name="Turn">The assistant turn that made the call, from 1.</param>
/// <param name="Name">The tool the call named ("" when the block could not be parsed that far).</param>
/// <param name="Arguments">The call's "arguments" as JSON text; for a malformed call, the block's raw body.</param>
/// <param name="Result">The text injected as the tool's response (an error text when <paramref name="Status"/> is not Ok).</param>
/// <param name="Seconds">Wall-clock time of the call (0 for calls refused before running).</param>
public sealed record ToolCallRecord(int Turn, string Name, string Arguments, string Result, ToolCallStatus Status, double Seconds)
{
    /// <summary>The tool's answer was longer than Tools:MaxToolTokens and was cut.</summary>
    public bool Truncated { get; init; }
}
