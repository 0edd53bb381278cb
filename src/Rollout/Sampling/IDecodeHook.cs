namespace RlTrainer.Rollout.Sampling;

/// <summary>
/// Watches a batch being decoded and may end or redirect rows (docs/algorithms.md#decode-hook). The sampler calls
/// <see cref="Begin"/> once, then <see cref="OnStep"/> after every decode step with the tokens just appended; the
/// actions the hook records are applied before the next step. Hooks do cheap CPU work only.
/// </summary>
public interface IDecodeHook
{
    /// <summary>A new batch: one row per request, in request order.</summary>
    void Begin(IReadOnlyList<GenerationRequest> requests, SamplingOptions options);

    /// <summary>The rows decoded in step <paramref name="step"/> (0-based) and what each received.</summary>
    void OnStep(int step, IReadOnlyList<DecodedToken> tokens, DecodeActions actions);
}

/// <summary>One row's token in one decode step.</summary>
/// <param name="Row">Index of the row's request.</param>
/// <param name="TokenId">The token appended.</param>
/// <param name="Injected">True when the token was forced by a <see cref="DecodeActions.Conclude"/>, not sampled.</param>
/// <param name="Finished">True when the row ended with this token (eos, stop string or a length limit); a row that
/// ended with eos may still be resumed by <see cref="DecodeActions.Continue"/> in this step.</param>
public readonly record struct DecodedToken(int Row, int TokenId, bool Injected, bool Finished);
