namespace RlTrainer.Trainer.Objectives;

/// <summary>
/// How per-token losses l (B,T) and the loss mask m (B,T) become the scalar of one micro-batch. GA is the number of
/// micro-batches in the optimizer step, N the masked token count of the whole step (TRL num_items_in_batch).
/// </summary>
public enum LossAggregation
{
    /// <summary>TRL "grpo": mean_i(Σ_t l·m / max(Σ_t m, 1)) / GA. Every sequence weighs the same (length-biased).</summary>
    SeqMeanTokenMean,

    /// <summary>TRL "bnpo": Σ l·m / max(Σ m, 1) / GA, a token mean of the local micro-batch.</summary>
    LocalTokenMean,

    /// <summary>TRL "dr_grpo": Σ l·m / (B · max_completion_length) / GA, a constant normaliser.</summary>
    ConstantNorm,

    /// <summary>TRL "dapo" and P3O: Σ l·m / max(N, 1); micro-batch losses add up to the token mean of the step.</summary>
    GlobalTokenMean,
}
