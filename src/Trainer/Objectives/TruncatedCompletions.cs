using static TorchSharp.torch;

namespace RlTrainer.Trainer.Objectives;

/// <summary>
/// TRL <c>mask_truncated_completions</c>: a completion cut off by the length limit (no EOS) is removed from the
/// loss, not from the group's reward statistics. Apply before counting the step's tokens (TRL counts after).
/// </summary>
public static class TruncatedCompletions
{
    /// <summary>completionMask (B,T) and one flag per row → (B,T) mask, in the input dtype, with truncated rows zeroed.</summary>
    public static Tensor Mask(Tensor completionMask, IReadOnlyList<bool> isTruncated)
    {
        if (completionMask.dim() != 2 || completionMask.shape[0] != isTruncated.Count)
            throw new ArgumentException($"completion mask ({string.Join(",", completionMask.shape)}) needs one truncation flag per row; got {isTruncated.Count}.", nameof(isTruncated));
        using var scope = NewDisposeScope();
        var keep = tensor(isTruncated.Select(t => !t).ToArray(), device: completionMask.device).unsqueeze(1);   // (B,1)
        var masked = where(keep, completionMask, zeros_like(completionMask));
        return masked.MoveToOuterDisposeScope();
    }
}
