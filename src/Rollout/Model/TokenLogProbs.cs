using TorchSharp;
using static TorchSharp.torch;

namespace RlTrainer.Rollout.Model;

/// <summary>
/// Teacher-forced per-token log-probs: log_softmax(logits / temperature)[next token] for every position, from one
/// full forward. This is what the trainer differentiates and what the sampler's log-probs must equal.
/// </summary>
/// <remarks>
/// By default the lm_head, log-softmax and entropy run through <see cref="LmHeadLogProbs"/> in chunks of positions,
/// so no float32 (B, T−1, V) tensor is alive in forward or backward: at a 152k vocabulary that block is 0.6 MB per
/// position, more than the rest of a 0.5B model's activations. <c>chunkMB</c> = 0 takes the whole block at once
/// through plain autograd (the reference path the chunked one is tested against).
/// </remarks>
public static class TokenLogProbs
{
    /// <summary>Default float32 logits per chunk: 256 MiB, e.g. 441 positions at V = 151,936.</summary>
    public const int DefaultChunkMB = 256;

    /// <param name="ids">(B, T) int64, padded anywhere (left for prompts, right for completions).</param>
    /// <param name="mask">(B, T) bool, true for real tokens.</param>
    /// <param name="positions">(B, T−1) bool or float: only these positions are computed (the others are 0), e.g. the
    /// completion positions of a rollout; null = all.</param>
    /// <returns>(B, T−1) float32: entry t is log p(ids[t+1] | ids[≤t]); meaningless where mask[t+1] is false.</returns>
    public static Tensor Compute(CausalLm model, Tensor ids, Tensor mask, double temperature = 1.0,
        Tensor? positions = null, int chunkMB = DefaultChunkMB)
    {
        var (logp, entropy) = ComputeWithEntropy(model, ids, mask, temperature, withEntropy: false,
            positions: positions, chunkMB: chunkMB);
        entropy?.Dispose();
        return logp;
    }

    /// <summary>Log-probs as <see cref="Compute"/>, plus the full-vocabulary entropy of each position's distribution
    /// (B, T−1) from the same forward when <paramref name="withEntropy"/> (else null). The entropy joins the autograd
    /// graph only when <paramref name="entropyWithGrad"/> (an entropy bonus); as a metric it costs no backward memory.</summary>
    public static (Tensor LogProbs, Tensor? Entropy) ComputeWithEntropy(CausalLm model, Tensor ids, Tensor mask,
        double temperature = 1.0, bool withEntropy = true, bool entropyWithGrad = false, Tensor? positions = null,
        int chunkMB = DefaultChunkMB)
    {
        if (chunkMB < 0) throw new ArgumentOutOfRangeException(nameof(chunkMB), chunkMB, "chunk size must be >= 0 MiB.");
        using var scope = NewDisposeScope();
        var rotary = mask.to(ScalarType.Int64).cumsum(1).sub(FixedScalars.One).clamp_min(FixedScalars.Zero); // (B, T)
        long t = ids.shape[1];
        // lm_head only on the T−1 positions that predict a token: the last position's logits are never used.
        var hidden = model.Hidden(ids, rotary, mask).narrow(1, 0, t - 1);          // (B, T−1, C)
        var target = ids.narrow(1, 1, t - 1);                                      // (B, T−1)
        var (logp, entropy) = chunkMB == 0
            ? Unchunked(model, hidden, target, temperature)
            : Chunked(model, hidden, target, temperature, positions, chunkMB);
        if (chunkMB == 0 && positions is not null)                                  // same zeros as the chunked path
        {
            var off = positions.to(ScalarType.Bool).logical_not();
            using var zero = 0.0.ToScalar();                                      // explicit: see FixedScalars
            (logp, entropy) = (logp.masked_fill(off, zero), entropy.masked_fill(off, zero));
        }
        var chosen = logp.MoveToOuterDisposeScope();
        Tensor? ent = withEntropy ? (entropyWithGrad ? entropy : entropy.detach()).MoveToOuterDisposeScope() : null;
        return (chosen, ent);
    }

    /// <summary>Positions per chunk: as many as fit <paramref name="chunkMB"/> MiB of float32 logits over
    /// <paramref name="vocab"/> ids, at least one.</summary>
    public static long ChunkPositions(int chunkMB, int vocab) => Math.Max(1L, chunkMB * 1048576L / (4L * vocab));

    /// The whole (B, T−1, V) block through plain autograd: log_softmax, gather, −Σ p·log p.
    private static (Tensor LogProbs, Tensor Entropy) Unchunked(CausalLm model, Tensor hidden, Tensor target, double temperature)
    {
        var scaled = model.Logits(hidden).to(ScalarType.Float32);                 // (B, T−1, V)
        if (temperature != 1.0)
        {
            using var tau = temperature.ToScalar();                                // explicit: see FixedScalars
            scaled = scaled.div(tau);
        }
        var logp = scaled.log_softmax(-1);                                         // (B, T−1, V)
        var chosen = logp.gather(-1, target.unsqueeze(-1)).squeeze(-1);           // (B, T−1)
        return (chosen, -(logp.exp() * logp).sum(-1));
    }

    /// The selected positions, flattened, through the chunked lm_head node; scattered back to (B, T−1) with 0 elsewhere.
    private static (Tensor LogProbs, Tensor Entropy) Chunked(CausalLm model, Tensor hidden, Tensor target,
        double temperature, Tensor? positions, int chunkMB)
    {
        long b = hidden.shape[0], t1 = hidden.shape[1], c = hidden.shape[2];
        var flatHidden = hidden.reshape(b * t1, c);                                // (N, C)
        var flatTarget = target.reshape(b * t1);                                   // (N,)
        Tensor? rows = null;
        if (positions is not null)
        {
            rows = positions.reshape(b * t1).to(ScalarType.Bool).nonzero().squeeze(1); // (n,) int64
            flatHidden = flatHidden.index_select(0, rows);                         // (n, C)
            flatTarget = flatTarget.index_select(0, rows);
        }
        long chunk = ChunkPositions(chunkMB, model.LogitVocabSize);
        var (logp, entropy) = LmHeadLogProbs.Compute(flatHidden, model.LmHeadWeight, flatTarget, temperature,
            model.LogitVocabSize, chunk);                                          // (n,) each
        if (rows is null) return (logp.view(b, t1), entropy.view(b, t1));
        var blank = zeros(b * t1, ScalarType.Float32, hidden.device);
        return (blank.index_copy(0, rows, logp).view(b, t1), blank.index_copy(0, rows, entropy).view(b, t1));
    }
}
