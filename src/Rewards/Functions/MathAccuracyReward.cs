using RlTrainer.Rewards.Verifiers;

namespace RlTrainer.Rewards.Functions;

/// <summary>
/// <c>math_accuracy</c>: 1 when the completion's answer is equivalent to the ground truth, 0 when it is not (or
/// has no answer, or the verifier ran out of time), null when the ground truth cannot be graded. The answer is the
/// model's own (<see cref="RewardInput.AnswerText"/>: not a tool call's expression, not a tool's response). Options:
/// <see cref="MathVerifierOptions"/>.
/// </summary>
public sealed class MathAccuracyReward : IRewardFunction
{
    public const string TypeName = "math_accuracy";

    public MathAccuracyReward(MathVerifierOptions? options = null) => Verifier = new MathAnswerVerifier(options);

    public string Type => TypeName;

    public MathAnswerVerifier Verifier { get; }

    public double? Score(RewardInput input)
    {
        var result = Verifier.Verify(input.AnswerText, input.GroundTruth);
        return result.IsCorrect switch { true => 1.0, false => 0.0, null => null };
    }
}
