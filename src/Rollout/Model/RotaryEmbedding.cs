using static TorchSharp.torch;

namespace RlTrainer.Rollout.Model;

/// <summary>
/// Rotary position embedding in the Hugging Face "rotate half" layout: the head dimension is split into two halves
/// that rotate together, with inv_freq_i = θ^(−2i/hd) (llama3 rope_scaling applied when configured).
/// </summary>
internal sealed class RotaryEmbedding
{
    private readonly float[] _invFreq; // (hd/2,)

    public RotaryEmbedding(ModelConfig c)
    {
        int half = c.HeadDim / 2;
        var inv = new double[half];
        // float32 like transformers: base ** (arange(0, hd, 2).float() / hd)
        for (int i = 0; i < half; i++) inv[i] = 1.0 / Math.Pow(c.RopeTheta, (float)(2 * i) / c.HeadDim);
        c.RopeScaling?.Apply(inv);
        _invFreq = inv.Select(x => (float)x).ToArray();
    }

    /// <summary>cos and sin for positions (B, T), computed in float32, returned as (B, 1, T, hd) in <paramref name="dtype"/>.</summary>
    public (Tensor Cos, Tensor Sin) CosSin(Tensor positionIds, ScalarType dtype)
    {
        using var scope = NewDisposeScope();
        var inv = tensor(_invFreq, device: positionIds.device);                      // (hd/2,)
        var freqs = positionIds.to(ScalarType.Float32).unsqueeze(-1) * inv;           // (B, T, hd/2)
        var emb = cat(new[] { freqs, freqs }, -1).unsqueeze(1);                     // (B, 1, T, hd)
        var cos = emb.cos().to(dtype).MoveToOuterDisposeScope();
        var sin = emb.sin().to(dtype).MoveToOuterDisposeScope();
        return (cos, sin);
    }

    /// <summary>x · cos + rotate_half(x) · sin, with rotate_half([x1, x2]) = [−x2, x1]. x: (B, H, T, hd).</summary>
    public static Tensor Apply(Tensor x, Tensor cos, Tensor sin)
    {
        using var scope = NewDisposeScope();
        long half = x.shape[^1] / 2;
        var x1 = x[.., .., .., ..(int)half];
        var x2 = x[.., .., .., (int)half..];
        var rotated = cat(new[] { x2.neg(), x1 }, -1);
        return (x * cos).add(rotated * sin, FixedScalars.One).MoveToOuterDisposeScope();  // alpha explicit: see FixedScalars
    }
}
