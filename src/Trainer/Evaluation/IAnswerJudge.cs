namespace RlTrainer.Trainer.Evaluation;

/// <summary>What evaluation needs from a verifier: correctness of a completion, its extracted answer, and answer
/// equivalence (so maj@k votes count "0.5" and "1/2" as one answer).</summary>
public interface IAnswerJudge
{
    /// <returns>Correct: the verifier's verdict; Extracted: the answer it compared (null if none);
    /// Formatted: the answer was given in the expected final-answer format (\boxed{...}).</returns>
    (bool Correct, string? Extracted, bool Formatted) Judge(string completion, string groundTruth);
    bool Equivalent(string a, string b);
}
