using RlTrainer.Rollout.Model;
using TorchSharp;
using static TorchSharp.torch;

namespace RlTrainer.Trainer.Objectives;

/// <summary>Turns per-token losses into the scalar loss of one micro-batch (TRL grpo_trainer.py _compute_loss tail).</summary>
public static class LossAggregator
{
    /// <summary>
    /// perTokenLoss (B,T), or (B,1) for sequence-level losses (broadcast over the tokens), and mask (B,T) of 0/1 in
    /// the loss dtype → scalar. See <see cref="LossAggregation"/> for the formulas.
    /// </summary>
    public static Tensor Aggregate(Tensor perTokenLoss, Tensor mask, LossAggregation mode, LossNormalizer normalizer)
    {
        normalizer.ThrowIfInvalid();
        using var scope = NewDisposeScope();
        var masked = perTokenLoss * mask;                                        // (B,T)
        // Scalars are made explicitly and disposed after use (see FixedScalars): this runs per micro-batch.
        using Scalar one = 1.0.ToScalar(), ga = ((double)normalizer.MicroBatchCount).ToScalar();
        var loss = mode switch
        {
            LossAggregation.SeqMeanTokenMean =>
                (masked.sum(-1) / mask.sum(-1).clamp_min(one)).mean().div(ga),   // rows with no tokens still count in the mean, as in TRL
            LossAggregation.LocalTokenMean => (masked.sum() / mask.sum().clamp_min(one)).div(ga),
            LossAggregation.ConstantNorm => DividedBy(masked.sum(), ConstantDenominator(mask, normalizer)).div(ga),
            LossAggregation.GlobalTokenMean => DividedBy(masked.sum(), Math.Max(normalizer.TrainedTokens, 1L)),
            _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, "unknown loss aggregation."),
        };
        return loss.MoveToOuterDisposeScope();
    }

    private static Tensor DividedBy(Tensor x, double denominator)
    {
        using var d = denominator.ToScalar();
        return x.div(d);
    }

    private static Tensor DividedBy(Tensor x, long denominator)
    {
        using var d = denominator.ToScalar();
        return x.div(d);
    }

    private static double ConstantDenominator(Tensor mask, LossNormalizer normalizer)
    {
        if (normalizer.MaxCompletionLength < 1)
            throw new ArgumentException("dr_grpo (ConstantNorm) needs LossNormalizer.MaxCompletionLength, the generation length limit; got "
                                        + normalizer.MaxCompletionLength + ".", nameof(normalizer));
        return (double)mask.shape[0] * normalizer.MaxCompletionLength;
    }
}
