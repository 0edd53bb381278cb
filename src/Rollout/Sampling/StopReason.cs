namespace RlTrainer.Rollout.Sampling;

/// <summary>
/// Why a row ended, finer than <see cref="FinishReason"/>: the natural ends plus the pruning decisions of a decode
/// hook (docs/algorithms.md#pruning-loss-mask asks for one per sample, since every replay and length analysis splits by it).
/// </summary>
public enum StopReason
{
    /// <summary>An eos token.</summary>
    Eos,
    /// <summary>A stop string.</summary>
    StopString,
    /// <summary>max_new_tokens reached with no pruning decision.</summary>
    MaxLength,
    /// <summary>A token-level repetition loop was detected.</summary>
    Repeat,
    /// <summary>Consecutive equivalent intermediate answers: the trace was told to conclude (TrimR overthinking).</summary>
    Overthink,
    /// <summary>Half the budget (or many segments) spent without convergence: a conclusion was forced (TrimR underthinking).</summary>
    Underthink,
    /// <summary>The whole group was stopped because its rewards were predicted to be all equal.</summary>
    GroupAbort,
}

public static class StopReasonNames
{
    /// <summary>snake_case name used in logs and metric keys ("group_abort").</summary>
    public static string ToSnakeCase(this StopReason r) => r switch
    {
        StopReason.Eos => "eos",
        StopReason.StopString => "stop_string",
        StopReason.MaxLength => "max_length",
        StopReason.Repeat => "repeat",
        StopReason.Overthink => "overthink",
        StopReason.Underthink => "underthink",
        StopReason.GroupAbort => "group_abort",
        _ => throw new ArgumentOutOfRangeException(nameof(r), r, null),
    };

    /// <exception cref="FormatException">for a name that is not a stop reason.</exception>
    public static StopReason Parse(string name)
    {
        foreach (var r in Enum.GetValues<StopReason>())
            if (r.ToSnakeCase() == name) return r;
        throw new FormatException($"unknown stop reason \"{name}\"; expected one of: " +
            string.Join(", ", Enum.GetValues<StopReason>().Select(x => x.ToSnakeCase())));
    }
}
