using System.ComponentModel.DataAnnotations;

namespace RlTrainer.Rollout.Pruning;

/// <summary><c>Pruning:Repetition</c>: kill token-level loops (docs/algorithms.md#decode-hook, rolling hash over token ids).</summary>
public sealed class RepetitionRuleOptions
{
    public bool Enabled { get; set; } = true;
    /// <summary>W: length of the token-id n-gram that is hashed. Default 64.</summary>
    [Range(2, 1 << 16)] public int Window { get; set; } = 64;
    /// <summary>A loop is the same W-gram occurring this often within <see cref="Lookback"/>. Default 4.</summary>
    [Range(2, 1 << 16)] public int MinRepeats { get; set; } = 4;
    /// <summary>Only the last this-many tokens count. Default 2048.</summary>
    [Range(2, 1 << 24)] public int Lookback { get; set; } = 2048;
    /// <summary>True: force a conclusion (forced inject + <see cref="ExtraBudget"/>); false: stop the row. Default true.</summary>
    public bool Conclude { get; set; } = true;
    /// <summary>Tokens the row may sample after the injected conclusion. Default 128.</summary>
    [Range(0, 1 << 20)] public int ExtraBudget { get; set; } = 128;
}
