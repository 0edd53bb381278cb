using TorchSharp;
using RlTrainer.Rollout.Model;
using RlTrainer.Trainer.Training;
using static TorchSharp.torch;
using RlTrainer.Trainer.Contracts;

namespace RlTrainer.Trainer.Sft;

/// <summary>
/// Token-mean negative log-likelihood of the target tokens of a right-padded batch:
/// −Σ_{t∈target} log p(x_t | x_&lt;t) / #target tokens.
/// </summary>
public static class SftLoss
{
    /// <summary>Packs examples into ids (B, T), attention mask (B, T) and loss mask (B, T−1) over next-token targets
    /// (1 where a trained target token is predicted; 0 for the prompt, padding and injected tool responses).</summary>
    public static (Tensor Ids, Tensor Mask, Tensor LossMask) Collate(IReadOnlyList<SftExample> batch, Device device)
    {
        var padded = new RightPaddedBatch(batch.Select(e => e.PromptIds).ToArray(), batch.Select(e => e.TargetIds).ToArray());
        var (ids, mask) = padded.Tokens(device);
        return (ids, mask, padded.PerContinuationToken((i, j) => batch[i].IsTrained(j) ? 1f : 0f, device));
    }

    /// <returns>Scalar loss with gradient, and the number of target tokens.</returns>
    public static (Tensor Loss, long Tokens) Compute(CausalLm model, IReadOnlyList<SftExample> batch)
    {
        using var scope = NewDisposeScope();
        var (ids, mask, lossMask) = Collate(batch, model.Device.Device);
        var logp = TokenLogProbs.Compute(model, ids, mask, positions: lossMask);       // (B, T−1), 0 off the targets
        var tokens = lossMask.sum().item<float>();
        using var denominator = Math.Max(1f, tokens).ToScalar();                   // explicit: see FixedScalars
        var loss = (-(logp * lossMask).sum()).div(denominator);
        return (loss.MoveToOuterDisposeScope(), (long)tokens);
    }
}
