using System.ComponentModel.DataAnnotations;

namespace RlTrainer.Rollout.Pruning;

/// <summary><c>Pruning:GroupAbort</c>: stop a group whose rewards are predicted to be all equal (docs/algorithms.md#group-abort).
/// It fires only when the reward mix makes the reward a function of correctness alone.</summary>
public sealed class GroupAbortRuleOptions
{
    public bool Enabled { get; set; } = true;
    /// <summary>K_check: look at the groups every this-many decode steps. Default 256.</summary>
    [Range(1, 1 << 20)] public int CheckEvery { get; set; } = 256;
    /// <summary>T_min: no check before this fraction of max_new_tokens has been decoded. Default 0.25.</summary>
    [Range(0.0, 1.0)] public double MinTokensFraction { get; set; } = 0.25;
    /// <summary>S: a running row's answer counts once its last this-many observed answers agree. Default 2.</summary>
    [Range(1, 1000)] public int StableObservations { get; set; } = 2;
    /// <summary>True (the documented group abort, DeepPrune's cluster test): every row's answer must be equivalent to every other's.
    /// False: rows only need the same correctness against the gold answer, which is all a zero reward variance needs
    /// (an all-wrong group with different wrong answers is aborted too). Check its false-abort rate with
    /// <c>rltrainer prune-sim</c> before turning this off. Default true.</summary>
    public bool RequireAgreement { get; set; } = true;
}
