using static TorchSharp.torch;

namespace RlTrainer.Trainer.Objectives;

/// <summary>
/// One micro-batch of completions as the objectives see it; B sequences padded to T response positions, aligned
/// so that position t holds the log-prob of completion token t. The record does not own its tensors: the training
/// step's dispose scope does.
/// </summary>
/// <param name="LogProbs">(B,T) ℓ = log π_θ of the sampled tokens under the current policy, attached to the graph.</param>
/// <param name="OldLogProbs">
/// (B,T) ℓ^old, no gradient. For <see cref="EssAdaptiveObjective"/> the behaviour (sampler) log-probs; for
/// <see cref="ClippedSurrogateObjective"/> the pre-update log-probs, or <c>LogProbs.detach()</c> when every
/// generation batch is used for exactly one step (ratio ≡ 1, as TRL does).
/// </param>
/// <param name="Advantages">(B,) one advantage per sequence, broadcast over its tokens; (B,T) per-token advantages are accepted too.</param>
/// <param name="CompletionMask">(B,T) bool or float loss mask: 1 on completion tokens, 0 on prompt and padding.</param>
public sealed record PolicyMicroBatch(Tensor LogProbs, Tensor OldLogProbs, Tensor Advantages, Tensor CompletionMask)
{
    /// <summary>(B,T) frozen reference-model log-probs; needed only when the objective's KL weight is &gt; 0.</summary>
    public Tensor? RefLogProbs { get; init; }

    /// <summary>(B,T) full-vocabulary entropies with gradient; needed only when an entropy bonus is configured.</summary>
    public Tensor? Entropies { get; init; }

    /// <summary>Throws when a tensor's shape does not fit the others, naming the field and both shapes.</summary>
    public void ThrowIfInconsistent()
    {
        var bt = LogProbs.shape;
        if (bt.Length != 2) throw new ArgumentException($"{nameof(LogProbs)} must be (B,T); got ({string.Join(",", bt)}).");
        Same(nameof(OldLogProbs), OldLogProbs);
        Same(nameof(CompletionMask), CompletionMask);
        if (RefLogProbs is not null) Same(nameof(RefLogProbs), RefLogProbs);
        if (Entropies is not null) Same(nameof(Entropies), Entropies);
        var a = Advantages.shape;
        bool ok = (a.Length == 1 && a[0] == bt[0]) || (a.Length == 2 && a[0] == bt[0] && a[1] == bt[1]);
        if (!ok)
            throw new ArgumentException($"{nameof(Advantages)} must be (B,) or (B,T) = ({bt[0]},{bt[1]}); got ({string.Join(",", a)}).");

        void Same(string name, Tensor t)
        {
            if (!t.shape.SequenceEqual(bt))
                throw new ArgumentException($"{name} must have the shape of {nameof(LogProbs)} ({string.Join(",", bt)}); got ({string.Join(",", t.shape)}).");
        }
    }
}
