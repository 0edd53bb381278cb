namespace RlTrainer.Trainer.Evaluation;

/// <summary>What evaluation needs from a verifier: correctness of a completion, its extracted answer, and answer
/// equivalence (so maj@k votes count "0.5" and "1/2" as one answer).</summary>
public interface IAnswerJudge
{
    (bool Correct, string? Extracted) Judge(string completion, string groundTruth);
    bool Equivalent(string a, string b);
}
