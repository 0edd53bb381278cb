using RlTrainer.Rollout.Model;
using static TorchSharp.torch;

namespace RlTrainer.Trainer.Sft;

/// <summary>
/// Token-mean negative log-likelihood of the target tokens of a right-padded batch:
/// −Σ_{t∈target} log p(x_t | x_&lt;t) / #target tokens.
/// </summary>
public static class SftLoss
{
    /// <summary>Packs examples into ids (B, T), attention mask (B, T) and loss mask (B, T−1) over next-token targets.</summary>
    public static (Tensor Ids, Tensor Mask, Tensor LossMask) Collate(IReadOnlyList<SftExample> batch, Device device)
    {
        int b = batch.Count, t = batch.Max(e => e.Length);
        var ids = new long[b * t];
        var mask = new bool[b * t];
        var lossMask = new float[b * (t - 1)];
        for (int i = 0; i < b; i++)
        {
            var e = batch[i];
            int p = e.PromptIds.Count;
            for (int j = 0; j < e.Length; j++)
            {
                ids[i * t + j] = j < p ? e.PromptIds[j] : e.TargetIds[j - p];
                mask[i * t + j] = true;
                // position j−1 predicts token j: train on it when token j belongs to the target
                if (j >= p && j >= 1) lossMask[i * (t - 1) + j - 1] = 1f;
            }
        }
        return (tensor(ids, new long[] { b, t }, device: device), tensor(mask, new long[] { b, t }, device: device),
                tensor(lossMask, new long[] { b, t - 1 }, device: device));
    }

    /// <returns>Scalar loss with gradient, and the number of target tokens.</returns>
    public static (Tensor Loss, long Tokens) Compute(CausalLm model, IReadOnlyList<SftExample> batch)
    {
        using var scope = NewDisposeScope();
        var (ids, mask, lossMask) = Collate(batch, model.Device.Device);
        var logp = TokenLogProbs.Compute(model, ids, mask, positions: lossMask);       // (B, T−1), 0 off the targets
        var tokens = lossMask.sum().item<float>();
        var loss = -(logp * lossMask).sum() / Math.Max(1f, tokens);
        return (loss.MoveToOuterDisposeScope(), (long)tokens);
    }
}
