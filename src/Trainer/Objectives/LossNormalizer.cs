namespace RlTrainer.Trainer.Objectives;

/// <summary>
/// What a micro-batch loss needs to know about the whole optimizer step, so that the micro-batch losses of a
/// gradient-accumulation window add up to the loss of the step (TRL's num_items_in_batch, FeynRL's ga_denom).
/// </summary>
/// <param name="TrainedTokens">Masked completion tokens of every micro-batch of the optimizer step (after truncation masking).</param>
/// <param name="MicroBatchCount">Micro-batches accumulated into the step (GA); divides the per-micro-batch means.</param>
/// <param name="MaxCompletionLength">The generation length limit L; only <see cref="LossAggregation.ConstantNorm"/> uses it.</param>
public sealed record LossNormalizer(long TrainedTokens, int MicroBatchCount = 1, int MaxCompletionLength = 0)
{
    /// <summary>Throws when a count is out of range, naming it and its value.</summary>
    public void ThrowIfInvalid()
    {
        if (TrainedTokens < 0)
            throw new ArgumentOutOfRangeException(nameof(TrainedTokens), TrainedTokens, "the step's token count cannot be negative.");
        if (MicroBatchCount < 1)
            throw new ArgumentOutOfRangeException(nameof(MicroBatchCount), MicroBatchCount, "an optimizer step has at least one micro-batch.");
        if (MaxCompletionLength < 0)
            throw new ArgumentOutOfRangeException(nameof(MaxCompletionLength), MaxCompletionLength, "max completion length cannot be negative.");
    }
}
