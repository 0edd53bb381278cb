using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.autograd;

namespace RlTrainer.Rollout.Model;

/// <summary>
/// The lm_head, log-softmax, target gather and entropy of N positions as one autograd node that never holds an
/// (N, V) tensor: forward and backward walk the positions in chunks and recompute each chunk's logits, so the live
/// float32 logits are (chunk, V) whatever N is (TRL's selective_log_softmax and Liger's fused linear cross-entropy
/// make the same trade: one extra lm_head matmul in backward for B·T·V·4 bytes of memory).
/// </summary>
/// <remarks>
/// With z = h·Wᵀ / τ over the first <c>vocab</c> rows of W (ids the tokenizer defines), lse = logsumexp(z),
/// p = softmax(z), log p(y) = z_y − lse and H = lse − Σ p·z. The gradients are taken by hand:
/// ∂log p(y)/∂z = onehot(y) − p and ∂H/∂z = −p ⊙ (log p + H); then ∂/∂h = (∂/∂z)·W / τ and ∂/∂W = (∂/∂z)ᵀ·h / τ.
/// </remarks>
public sealed class LmHeadLogProbs : MultiTensorFunction<LmHeadLogProbs>
{
    public override string Name => nameof(LmHeadLogProbs);

    /// <param name="hidden">(N, C) final hidden states in the compute dtype.</param>
    /// <param name="weight">(V, C) lm_head (or tied embedding) weight.</param>
    /// <param name="targets">(N,) int64 next-token ids, all below <paramref name="vocab"/>.</param>
    /// <param name="vocab">Rows of <paramref name="weight"/> that are real tokens (≤ V).</param>
    /// <param name="chunk">Positions per chunk.</param>
    /// <returns>log p(target) (N,) and entropy (N,), float32.</returns>
    public static (Tensor LogProbs, Tensor Entropy) Compute(Tensor hidden, Tensor weight, Tensor targets,
        double temperature, int vocab, long chunk)
    {
        var outputs = apply(hidden, weight, targets, temperature, vocab, chunk);
        return (outputs[0], outputs[1]);
    }

    public override List<Tensor> forward(AutogradContext ctx, params object[] vars)
    {
        var (h, w, targets) = ((Tensor)vars[0], (Tensor)vars[1], (Tensor)vars[2]);
        var (tau, vocab, chunk) = ((double)vars[3], (int)vars[4], (long)vars[5]);
        long n = h.shape[0];
        using var tauScalar = tau.ToScalar();                                       // explicit: see FixedScalars
        var logp = empty(n, ScalarType.Float32, h.device);
        var entropy = empty(n, ScalarType.Float32, h.device);
        var lse = empty(n, ScalarType.Float32, h.device);
        for (long start = 0; start < n; start += chunk)
        {
            using var scope = NewDisposeScope();
            long len = Math.Min(chunk, n - start);
            var z = ScaledLogits(h.narrow(0, start, len), w, vocab, tau, tauScalar); // (len, V) float32
            var l = z.logsumexp(-1);                                              // (len,)
            var zy = z.gather(-1, targets.narrow(0, start, len).unsqueeze(-1)).squeeze(-1);
            var pz = (z - l.unsqueeze(-1)).exp_().mul_(z).sum(-1);                // Σ p·z (len,)
            logp.narrow(0, start, len).copy_(zy - l);
            entropy.narrow(0, start, len).copy_(l - pz);
            lse.narrow(0, start, len).copy_(l);
        }
        ctx.save_for_backward(new List<Tensor> { h, w, targets, lse, entropy });
        ctx.save_data("tau", tau);
        ctx.save_data("vocab", vocab);
        ctx.save_data("chunk", chunk);
        ctx.set_materialize_grads(false);
        return new List<Tensor> { logp, entropy };
    }

    public override List<Tensor> backward(AutogradContext ctx, List<Tensor> gradOutputs)
    {
        GradientHandoff.ReleaseEarlier();
        var tau = (double)ctx.get_data("tau");
        var vocab = (int)ctx.get_data("vocab");
        var chunk = (long)ctx.get_data("chunk");
        Tensor gradHidden, gradWeight;
        using var tauScalar = tau.ToScalar();                                       // explicit: see FixedScalars
        using (var scope = NewDisposeScope())
        {
            var saved = ctx.get_saved_variables();
            var (h, w, targets, lse, entropy) = (saved[0], saved[1], saved[2], saved[3], saved[4]);
            var gLogp = Defined(gradOutputs[0]);                                   // (N,) or null
            var gEnt = Defined(gradOutputs[1]);
            long n = h.shape[0];
            gradHidden = zeros_like(h).MoveToOuterDisposeScope();                  // (N, C)
            // (V, C) in fp32: rows past vocab stay zero (padded ids get no gradient from the head).
            var gW = zeros(new[] { w.shape[0], w.shape[1] }, ScalarType.Float32, w.device);
            var gWReal = gW.narrow(0, 0, vocab);
            if (gLogp is not null || gEnt is not null)
                for (long start = 0; start < n; start += chunk)
                {
                    using var inner = NewDisposeScope();
                    long len = Math.Min(chunk, n - start);
                    var hc = h.narrow(0, start, len);
                    var logpAll = ScaledLogits(hc, w, vocab, tau, tauScalar).sub_(lse.narrow(0, start, len).unsqueeze(-1)); // (len, V)
                    var p = logpAll.exp();                                           // (len, V)
                    Tensor? gz = null;                                               // ∂L/∂z (len, V), built in place
                    if (gEnt is not null)                                            // −gH · p · (log p + H)
                        gz = logpAll.add_(entropy.narrow(0, start, len).unsqueeze(-1), FixedScalars.One).mul_(p)
                            .mul_(gEnt.narrow(0, start, len).unsqueeze(-1)).neg_();
                    if (gLogp is not null)                                           // gL · (onehot(y) − p)
                    {
                        var gl = gLogp.narrow(0, start, len).unsqueeze(-1);          // (len, 1)
                        var pg = p.mul_(gl);
                        gz = gz is null ? pg.neg_() : gz.sub_(pg);
                        gz.scatter_add_(-1, targets.narrow(0, start, len).unsqueeze(-1), gl);
                    }
                    if (tau != 1.0) gz!.div_(tauScalar);
                    var gzc = gz!.to(h.dtype);
                    gradHidden.narrow(0, start, len).addmm_(gzc, w.narrow(0, 0, vocab));          // (len, C), zeros before
                    // fp32 accumulates in place: no (vocab, C) temporary per chunk (544 MB at 152k x 896).
                    if (h.dtype == ScalarType.Float32) gWReal.addmm_(gzc.t(), hc);
                    else gWReal.add_(gzc.t().matmul(hc).to(ScalarType.Float32), FixedScalars.One); // (vocab, C)
                }
            gradWeight = gW.to(w.dtype).MoveToOuterDisposeScope();
            foreach (var g in gradOutputs) Defined(g)?.Dispose();
        }
        return GradientHandoff.Hand(new List<Tensor> { gradHidden, gradWeight, null!, null!, null!, null! });
    }

    /// (len, C) hidden → (len, vocab) float32 logits / τ: the lm_head restricted to the real ids.
    private static Tensor ScaledLogits(Tensor h, Tensor w, int vocab, double tau, Scalar tauScalar)
    {
        var z = h.matmul(w.narrow(0, 0, vocab).t()).to(ScalarType.Float32);
        return tau == 1.0 ? z : z.div_(tauScalar);
    }

    private static Tensor? Defined(Tensor? t) => t is null || t.IsInvalid ? null : t;
}
