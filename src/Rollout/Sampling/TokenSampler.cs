using TorchSharp;
using static TorchSharp.torch;

namespace RlTrainer.Rollout.Sampling;

/// <summary>
/// Next-token selection on a (B, V) float32 logit matrix: temperature, then top-k, then top-p (the order of
/// Hugging Face's logits warpers), then inverse-CDF sampling with one caller-supplied uniform per row.
/// Inverse-CDF (cumsum + searchsorted) is ~30x faster than multinomial here and makes each row depend only on its
/// own uniform, so a request's seed fixes its tokens whatever else is in the batch.
/// </summary>
public static class TokenSampler
{
    /// <summary>log_softmax(logits / temperature): (B, V) → (B, V), the distribution log-probs are reported under.</summary>
    public static Tensor LogProbs(Tensor logits, double temperature) =>
        temperature == 1.0 ? logits.log_softmax(-1) : ScaledBy(logits, temperature);

    // Scalars are made explicitly and disposed after the call on this per-token path: TorchSharp leaves an implicitly
    // converted Scalar to the finalizer, which may free it while libtorch still reads it ("Unknown scalar type").
    private static Tensor ScaledBy(Tensor logits, double temperature)
    {
        using var t = temperature.ToScalar();
        using var scaled = logits.div(t);
        return scaled.log_softmax(-1);
    }

    /// <summary>Masks to −inf every logit outside the top-k and outside the top-p nucleus. (B, V) → (B, V).</summary>
    public static Tensor Filter(Tensor scaledLogits, int topK, double topP)
    {
        using var scope = NewDisposeScope();
        var x = scaledLogits;
        long v = x.shape[^1];
        if (topK > 0 && topK < v)
        {
            var kth = x.topk(topK, dim: -1).values.narrow(-1, topK - 1, 1);           // (B, 1)
            using var minusInfinity = double.NegativeInfinity.ToScalar();
            x = x.masked_fill(x.lt(kth), minusInfinity);
        }
        if (topP < 1.0)
        {
            // HF TopPLogitsWarper: sort ascending, drop tokens whose cumulative mass stays ≤ 1 − p; keep at least one.
            var (sorted, order) = x.sort(-1, descending: false);                          // (B, V)
            var cumulative = sorted.softmax(-1).cumsum(-1);
            using var keptMass = (1.0 - topP).ToScalar();
            using var minusInfinity = double.NegativeInfinity.ToScalar();
            var remove = cumulative.le(keptMass);
            remove[.., ^1] = tensor(false);
            var removeOriginal = zeros_like(remove).scatter(-1, order, remove);
            x = x.masked_fill(removeOriginal, minusInfinity);
        }
        return x.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Samples one token per row from softmax(filteredLogits) by inverse CDF. uniforms: one value in [0, 1) per row.
    /// Returns (B,) int64.
    /// </summary>
    public static Tensor SampleInverseCdf(Tensor filteredLogits, double[] uniforms)
    {
        using var scope = NewDisposeScope();
        long v = filteredLogits.shape[^1];
        var cdf = filteredLogits.softmax(-1).cumsum(-1);                                    // (B, V)
        var u = tensor(uniforms, dtype: ScalarType.Float32, device: cdf.device).unsqueeze(1); // (B, 1)
        // First index whose cdf exceeds u·total: zero-mass tokens (flat cdf) can never be picked.
        var idx = searchsorted(cdf, u * cdf.narrow(-1, v - 1, 1), right: true).squeeze(1);   // (B,)
        using var last = (v - 1).ToScalar();
        return idx.clamp_max(last).to(ScalarType.Int64).MoveToOuterDisposeScope();
    }
}
