namespace RlTrainer.Rollout.Sampling;

/// <summary>What one batch cost, counted by the sampler itself (docs/algorithms.md#rollout-accounting: never inferred afterwards).</summary>
public sealed record GenerationStats
{
    public int Rows { get; init; }
    public long PromptTokens { get; init; }
    /// <summary>Rows the prefill ran: the distinct prompts when prompts share their prefill, else <see cref="Rows"/>.</summary>
    public int PrefillRows { get; init; }
    /// <summary>Tokens sampled from the policy over all rows (injected tokens excluded, tokens of stopped rows included).</summary>
    public long SampledTokens { get; init; }
    /// <summary>Tokens forced into rows by a decode hook; each cost a decode slot like a sampled one.</summary>
    public long InjectedTokens { get; init; }
    /// <summary>Decode forward passes (one per generated position).</summary>
    public int DecodeSteps { get; init; }
    /// <summary>Σ over decode steps of rows in the batch: the compute actually spent on rows.</summary>
    public long SlotSteps { get; init; }
    /// <summary>Times finished rows were dropped from the batch and the KV cache.</summary>
    public int Compactions { get; init; }
    public TimeSpan PrefillTime { get; init; }
    /// <summary>CPU time spent in the decode hook (pruning analysis), included in <see cref="WallTime"/>.</summary>
    public TimeSpan HookTime { get; init; }
    public TimeSpan WallTime { get; init; }
}
