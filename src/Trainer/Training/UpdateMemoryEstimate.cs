using RlTrainer.Rollout.Model;

namespace RlTrainer.Trainer.Training;

/// <summary>
/// What one update step keeps in memory, estimated from the model's shape (bytes): the part `bench memory` prints
/// next to the measured peak so that a user can see which term to shrink. Weights, gradients and AdamW's two fp32
/// moments are exact; activations and logits are first-order counts of the float32 tensors autograd saves.
/// </summary>
/// <param name="Weights">Parameters × element size.</param>
/// <param name="Gradients">One gradient per trainable parameter, same dtype.</param>
/// <param name="AdamMoments">exp_avg and exp_avg_sq in float32.</param>
/// <param name="Activations">Saved for backward by the decoder layers of one micro-batch.</param>
/// <param name="Logits">Alive at once in the lm_head / log-softmax: whole (N, V) blocks or one chunk.</param>
public sealed record UpdateMemoryEstimate(long Weights, long Gradients, long AdamMoments, long Activations, long Logits)
{
    public long Total => Weights + Gradients + AdamMoments + Activations + Logits;

    /// <param name="rows">Sequences per micro-batch (B).</param>
    /// <param name="tokens">Tokens per sequence (T = prompt + completion).</param>
    /// <param name="logitPositions">Positions that reach the lm_head (completion tokens per micro-batch).</param>
    /// <param name="chunkMB">Logits chunk (MiB of float32); 0 = the whole block.</param>
    /// <param name="trainable">Parameters that train (the LoRA adapters); null = all of them.</param>
    public static UpdateMemoryEstimate For(ModelConfig c, long parameters, int elementSize, long rows, long tokens,
        long logitPositions, bool checkpointing, int chunkMB, int vocab, long? trainable = null)
    {
        long trained = trainable ?? parameters;
        long n = rows * tokens;
        // Per token and layer, plain autograd keeps ≈ 14·C (norms, q/k/v before and after RoPE, attention output,
        // residuals) + 4·I (gate, silu, up, product) + 2·heads·T (attention probabilities and their softmax input).
        long perLayerPlain = n * (14L * c.HiddenSize + 4L * c.IntermediateSize + 2L * c.NumAttentionHeads * tokens) * 4;
        // Checkpointed: each layer keeps its input (C per token), and one layer is recomputed at a time in backward.
        long activations = checkpointing
            ? c.NumHiddenLayers * n * c.HiddenSize * 4L + perLayerPlain
            : c.NumHiddenLayers * perLayerPlain;
        // Whole block: logits, log-softmax and its exp in forward (3 × N·V floats); chunked: two (chunk, V) tensors.
        long logits = chunkMB == 0
            ? 3L * logitPositions * vocab * 4
            : 2L * Math.Min(logitPositions, TokenLogProbs.ChunkPositions(chunkMB, vocab)) * vocab * 4;
        return new UpdateMemoryEstimate(parameters * elementSize, trained * elementSize, 2 * trained * 4L, activations, logits);
    }
}
