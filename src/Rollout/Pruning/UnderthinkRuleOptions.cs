using System.ComponentModel.DataAnnotations;

namespace RlTrainer.Rollout.Pruning;

/// <summary><c>Pruning:Underthink</c>: TrimR underthinking cut-off, the text version (budget reached AND not
/// converged, docs/algorithms.md#decode-hook).</summary>
public sealed class UnderthinkRuleOptions
{
    public bool Enabled { get; set; } = true;
    /// <summary>R_thres: force a conclusion at a segment boundary once this fraction of max_new_tokens is used. Default 0.5.</summary>
    [Range(0.0, 1.0)] public double BudgetFraction { get; set; } = 0.5;
    /// <summary>N_thres: … or once this many segments were written. Default 20.</summary>
    [Range(1, 1 << 20)] public int MaxSegments { get; set; } = 20;
    /// <summary>Tokens the row may sample after the forced inject. Default 256.</summary>
    [Range(0, 1 << 20)] public int ExtraBudget { get; set; } = 256;
}
