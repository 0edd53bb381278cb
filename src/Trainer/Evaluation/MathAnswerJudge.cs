using RlTrainer.Rewards.Verifiers;

namespace RlTrainer.Trainer.Evaluation;

/// <summary>Evaluation's verifier: <see cref="MathAnswerVerifier"/> for correctness, extraction and equivalence.</summary>
public sealed class MathAnswerJudge(MathVerifierOptions? options = null) : IAnswerJudge
{
    private readonly MathAnswerVerifier _verifier = new(options);

    public (bool Correct, string? Extracted, bool Formatted) Judge(string completion, string groundTruth)
    {
        var r = _verifier.Verify(completion, groundTruth);
        bool boxed = AnswerExtractor.FromCompletion(completion, lastNumberFallback: false)?.Source == AnswerSource.Boxed;
        return (r.IsCorrect == true, r.ExtractedAnswer, boxed);
    }

    public bool Equivalent(string a, string b) => _verifier.AreEquivalent(a, b) == true;
}
