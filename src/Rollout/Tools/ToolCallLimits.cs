namespace RlTrainer.Rollout.Tools;

/// <summary>The bounds of a multi-turn rollout (from the trainer's Tools section).</summary>
/// <param name="MaxTurns">Tool turns injected per completion at most; the assistant turn after the last one ends the
/// completion at its end-of-turn token, whatever it asks.</param>
/// <param name="MaxToolTokens">Tokens of one call's answer at most; a longer answer is cut and marked.</param>
/// <param name="CallTimeout">Time limit of one call.</param>
public sealed record ToolCallLimits(int MaxTurns, int MaxToolTokens, TimeSpan CallTimeout);
