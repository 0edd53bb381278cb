namespace RlTrainer.Rollout.Pruning;

/// <summary>What a <see cref="RowTrace"/> concluded from its latest token.</summary>
public enum TraceSignal
{
    None,
    /// <summary>A token-level loop.</summary>
    Repeat,
    /// <summary>M + 1 consecutive equivalent answers: conclude with the mild inject.</summary>
    Overthink,
    /// <summary>Budget or segment count reached without convergence: force a conclusion.</summary>
    Underthink,
}
