namespace RlTrainer.Rewards.Verifiers;

/// <summary>
/// Outcome of grading one completion. <see cref="IsCorrect"/> is null when the gold answer itself cannot be
/// graded (empty, or not understood and not string-equal to the prediction): such a sample should be skipped,
/// not scored 0. <see cref="Error"/> names an internal failure that was caught (the verifier never throws on model output).
/// </summary>
public sealed record VerificationResult(bool? IsCorrect, string? ExtractedAnswer, bool TimedOut = false, string? Error = null);
