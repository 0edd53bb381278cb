using System.ComponentModel.DataAnnotations;

namespace RlTrainer.Rollout.Pruning;

/// <summary><c>Pruning:Overthink</c>: TrimR overthinking trim (docs/algorithms.md#decode-hook).</summary>
public sealed class OverthinkRuleOptions
{
    public bool Enabled { get; set; } = true;
    /// <summary>M: conclude when this many consecutive answer-bearing segments agree with their predecessor
    /// (M + 1 equivalent answers). Default 2.</summary>
    [Range(1, 1000)] public int ConsecutiveEquivalent { get; set; } = 2;
    /// <summary>N_sent: answers are looked for in a segment's last this-many sentences. Default 3.</summary>
    [Range(1, 1000)] public int TailSentences { get; set; } = 3;
    /// <summary>Tokens the row may sample after the mild inject. Default 256.</summary>
    [Range(0, 1 << 20)] public int ExtraBudget { get; set; } = 256;
}
