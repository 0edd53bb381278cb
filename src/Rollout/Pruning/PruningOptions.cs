using System.ComponentModel.DataAnnotations;

namespace RlTrainer.Rollout.Pruning;

/// <summary>
/// The <c>Pruning</c> section of a run config: rollout-side trace pruning (docs/algorithms.md#trace-pruning) and rollout logging.
/// Defaults are those of docs/algorithms.md#decode-hook; every rule is on when <see cref="Enabled"/> is, and each can be switched off.
/// </summary>
public sealed class PruningOptions
{
    public const string Section = "Pruning";

    /// <summary>TrimR's reflection markers and the end of thinking (docs/algorithms.md#decode-hook).</summary>
    public static readonly IReadOnlyList<string> DefaultSegmentMarkers = ["\n\nWait", "\n\nBut", "\n\nAlternatively", "\n\nHmm", "</think>"];

    /// <summary>Turns the decode hook on. Default false: rollouts are sampled exactly as without this feature.</summary>
    public bool Enabled { get; set; }

    /// <summary>Append every rollout (text pieces, stop reason, reward) to this JSONL file, pruning on or off; the
    /// input of <c>rltrainer prune-sim</c>. Default none.</summary>
    public string? LogFile { get; set; }

    /// <summary>A segment boundary fires where the decoded text shows one of these. Default <see cref="DefaultSegmentMarkers"/>.</summary>
    public List<string>? SegmentMarkers { get; set; }

    /// <summary>Text injected to conclude an overthinking trace (TrimR's mild prompt, DEER-style). Default "\n\n**Final Answer**\n".</summary>
    [Required(AllowEmptyStrings = false)] public string MildInject { get; set; } = "\n\n**Final Answer**\n";

    /// <summary>Text injected to force a conclusion (underthinking, loops).</summary>
    [Required(AllowEmptyStrings = false)]
    public string ForcedInject { get; set; } = "\n\nI have thought about this long enough; I will now give the final answer.\n</think>\n\n";

    /// <summary>Fraction ρ of groups never trimmed (overthink/underthink), so that full-length traces keep teaching
    /// when to stop (docs/algorithms.md#decode-hook). Default 0.25.</summary>
    [Range(0.0, 1.0)] public double TeacherGroupFraction { get; set; } = 0.25;

    public RepetitionRuleOptions Repetition { get; set; } = new();
    public OverthinkRuleOptions Overthink { get; set; } = new();
    public UnderthinkRuleOptions Underthink { get; set; } = new();
    public GroupAbortRuleOptions GroupAbort { get; set; } = new();

    public IReadOnlyList<string> EffectiveSegmentMarkers => SegmentMarkers is { Count: > 0 } m ? m : DefaultSegmentMarkers;
}
