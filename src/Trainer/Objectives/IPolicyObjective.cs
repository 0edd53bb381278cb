namespace RlTrainer.Trainer.Objectives;

/// <summary>
/// A policy-optimization loss over one micro-batch. Implementations are stateless: the same inputs give the same
/// loss, so the training loop can treat every objective alike.
/// </summary>
public interface IPolicyObjective
{
    /// <summary>Which objective this is (for logs and checkpoints).</summary>
    ObjectiveKind Kind { get; }

    /// <summary>True when <see cref="PolicyMicroBatch.RefLogProbs"/> is read; false means no reference model need be loaded.</summary>
    bool NeedsReferenceLogProbs { get; }

    /// <summary>True when <see cref="PolicyMicroBatch.Entropies"/> is read; false lets the forward pass skip entropies.</summary>
    bool NeedsEntropies { get; }

    /// <summary>
    /// Whether <see cref="PolicyMicroBatch.OldLogProbs"/> are the sampler's (behaviour) log-probs, or the current
    /// policy's detached ones, when each batch is trained for <paramref name="passes"/> update passes (μ) and, with
    /// <paramref name="offPolicy"/>, may come from an older policy than the learner's (asynchronous rollouts).
    /// </summary>
    bool OldLogProbsAreBehaviour(int passes, bool offPolicy);

    /// <summary>The scalar loss of <paramref name="batch"/>, normalised for its optimizer step, and its metrics.</summary>
    ObjectiveResult Compute(PolicyMicroBatch batch, LossNormalizer normalizer);
}
