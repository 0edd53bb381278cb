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
        using var scope = NewDisposeScope();
        var positions = (mask.to(ScalarType.Int64).cumsum(1) - 1).clamp_min(0);   // (B, T)
        var logits = model.Forward(ids, positions, mask);                          // (B, T, V)
        long t = ids.shape[1];
        var scaled = logits.narrow(1, 0, t - 1).to(ScalarType.Float32);           // (B, T−1, V)
        if (temperature != 1.0) scaled = scaled / temperature;
        var logp = scaled.log_softmax(-1);
        var target = ids.narrow(1, 1, t - 1).unsqueeze(-1);                       // (B, T−1, 1)
        return logp.gather(-1, target).squeeze(-1).MoveToOuterDisposeScope();      // (B, T−1)
    }
}
