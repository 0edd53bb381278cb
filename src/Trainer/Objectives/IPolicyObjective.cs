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

    /// <summary>The scalar loss of <paramref name="batch"/>, normalised for its optimizer step, and its metrics.</summary>
    ObjectiveResult Compute(PolicyMicroBatch batch, LossNormalizer normalizer);
}
