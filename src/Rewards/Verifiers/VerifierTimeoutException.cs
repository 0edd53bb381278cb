namespace RlTrainer.Rewards.Verifiers;

/// <summary>Thrown inside the verifier when its <see cref="VerifierBudget"/> is spent; never escapes the verifier.</summary>
internal sealed class VerifierTimeoutException : Exception
{
    public VerifierTimeoutException() : base("verifier time limit reached") { }
}
