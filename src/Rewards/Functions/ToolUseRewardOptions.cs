using System.ComponentModel.DataAnnotations;

namespace RlTrainer.Rewards.Functions;

/// <summary>
/// Options of the <c>tool_use</c> reward. JSON keys: <c>per_call</c>, <c>per_successful_call</c>,
/// <c>per_failed_call</c>, <c>min</c>, <c>max</c>. All default to "no effect"; a format bonus for a well-formed call is
/// <c>{"per_successful_call": 1, "max": 1}</c>, a cost per call <c>{"per_call": -1}</c>.
/// </summary>
public sealed class ToolUseRewardOptions
{
    /// <summary>Added for every call, whatever its outcome. Default 0.</summary>
    public double PerCall { get; init; }

    /// <summary>Added for every call that parsed, named a configured tool and got its answer (status ok). Default 0.</summary>
    public double PerSuccessfulCall { get; init; }

    /// <summary>Added for every other call: malformed, unknown tool, timed out or failed. Default 0.</summary>
    public double PerFailedCall { get; init; }

    /// <summary>Lower clip of the sum; null (default) = none.</summary>
    [Range(double.MinValue, double.MaxValue)]
    public double? Min { get; init; }

    /// <summary>Upper clip of the sum; null (default) = none.</summary>
    [Range(double.MinValue, double.MaxValue)]
    public double? Max { get; init; }
}
