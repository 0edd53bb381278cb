using static TorchSharp.torch;

namespace RlTrainer.Rollout.Model;

/// <summary>
/// Teacher-forced per-token log-probs: log_softmax(logits / temperature)[next token] for every position, from one
/// full forward. This is what the trainer differentiates and what the sampler's log-probs must equal.
/// </summary>
public static class TokenLogProbs
{
    /// <param name="ids">(B, T) int64, padded anywhere (left for prompts, right for completions).</param>
    /// <param name="mask">(B, T) bool, true for real tokens.</param>
    /// <returns>(B, T−1) float32: entry t is log p(ids[t+1] | ids[≤t]); meaningless where mask[t+1] is false.</returns>
    public static Tensor Compute(CausalLm model, Tensor ids, Tensor mask, double temperature = 1.0)
    {
        var (logp, entropy) = ComputeWithEntropy(model, ids, mask, temperature, withEntropy: false);
        return logp;
    }

    /// <summary>Log-probs as <see cref="Compute"/>, plus the full-vocabulary entropy of each position's distribution
    /// (B, T−1) from the same forward when <paramref name="withEntropy"/> (else null). The entropy joins the autograd
    /// graph only when <paramref name="entropyWithGrad"/> (an entropy bonus); as a metric it costs no backward memory.</summary>
    public static (Tensor LogProbs, Tensor? Entropy) ComputeWithEntropy(CausalLm model, Tensor ids, Tensor mask,
        double temperature = 1.0, bool withEntropy = true, bool entropyWithGrad = false)
    {
        using var scope = NewDisposeScope();
        var positions = (mask.to(ScalarType.Int64).cumsum(1) - 1).clamp_min(0);   // (B, T)
        long t = ids.shape[1];
        // lm_head only on the T−1 positions that predict a token: the last position's logits are never used.
        var hidden = model.Hidden(ids, positions, mask);                           // (B, T, C)
        var logits = model.Logits(hidden.narrow(1, 0, t - 1));                    // (B, T−1, V)
        var scaled = logits.to(ScalarType.Float32);
        if (temperature != 1.0) scaled = scaled / temperature;
        var logp = scaled.log_softmax(-1);                                         // (B, T−1, V)
        var target = ids.narrow(1, 1, t - 1).unsqueeze(-1);                       // (B, T−1, 1)
        var chosen = logp.gather(-1, target).squeeze(-1).MoveToOuterDisposeScope(); // (B, T−1)
        Tensor? entropy = null;
        if (withEntropy)
        {
            var source = entropyWithGrad ? logp : logp.detach();
            entropy = (-(source.exp() * source).sum(-1)).MoveToOuterDisposeScope();
        }
        return (chosen, entropy);
    }
}
