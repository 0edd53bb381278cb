using static TorchSharp.torch;

namespace RlTrainer.Trainer.Objectives;

/// <summary>
/// What a micro-batch loss needs to know about the whole optimizer step, so that the micro-batch losses of a
/// gradient-accumulation window add up to the loss of the step (TRL's num_items_in_batch, FeynRL's ga_denom).
/// </summary>
/// <param name="GlobalTokenCount">Masked completion tokens of every micro-batch of the optimizer step (after truncation masking).</param>
/// <param name="MicroBatchCount">Micro-batches accumulated into the step (GA); divides the per-micro-batch means.</param>
/// <param name="MaxCompletionLength">The generation length limit L; only <see cref="LossAggregation.ConstantNorm"/> uses it.</param>
public sealed record LossNormalizer(long GlobalTokenCount, int MicroBatchCount = 1, int MaxCompletionLength = 0)
{
    /// <summary>Counts the mask-on tokens (mask &gt; 0.5) of all micro-batches of one step; each mask is (B,T).</summary>
    public static LossNormalizer FromMasks(IEnumerable<Tensor> masks, int maxCompletionLength = 0)
    {
        long tokens = 0;
        int count = 0;
        foreach (var m in masks)
        {
            using var scope = NewDisposeScope();
            tokens += m.to_type(ScalarType.Float32).gt(0.5).sum().item<long>();
            count++;
        }
        if (count == 0) throw new ArgumentException("an optimizer step needs at least one micro-batch mask.", nameof(masks));
        return new LossNormalizer(tokens, count, maxCompletionLength);
    }

    /// <summary>Throws when a count is out of range, naming it and its value.</summary>
    public void ThrowIfInvalid()
    {
        if (GlobalTokenCount < 0)
            throw new ArgumentOutOfRangeException(nameof(GlobalTokenCount), GlobalTokenCount, "the step's token count cannot be negative.");
        if (MicroBatchCount < 1)
            throw new ArgumentOutOfRangeException(nameof(MicroBatchCount), MicroBatchCount, "an optimizer step has at least one micro-batch.");
        if (MaxCompletionLength < 0)
            throw new ArgumentOutOfRangeException(nameof(MaxCompletionLength), MaxCompletionLength, "max completion length cannot be negative.");
    }
}
