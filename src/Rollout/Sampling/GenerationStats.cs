namespace RlTrainer.Rollout.Sampling;

/// <summary>What one batch cost, counted by the sampler itself.</summary>
public sealed record GenerationStats
{
    public int Rows { get; init; }
    public long PromptTokens { get; init; }
    /// <summary>Tokens sampled over all rows.</summary>
    public long SampledTokens { get; init; }
    /// <summary>Decode forward passes (one per generated position).</summary>
    public int DecodeSteps { get; init; }
    /// <summary>Σ over decode steps of rows in the batch: the compute actually spent on rows.</summary>
    public long SlotSteps { get; init; }
    public TimeSpan PrefillTime { get; init; }
    public TimeSpan WallTime { get; init; }
}
