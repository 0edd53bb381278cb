namespace RlTrainer.Trainer.Engines;

/// <summary>
/// Train/inference importance-sampling correction of engine rollouts (docs/algorithms.md#remote-importance-sampling, TRL
/// vllm_importance_sampling_mode): ρ = π_trainer_old / π_engine per token or per sequence, truncated (clamped) or
/// masked (set to 0 outside [min, max]), multiplied into the policy-gradient term.
/// </summary>
public enum IsCorrectionMode
{
    /// <summary>No correction: engine samples are trained on as if the trainer had drawn them.</summary>
    None,
    /// <summary>ρ_t = clamp(exp(Δ_t), min, max) per token (TIS).</summary>
    TokenTruncate,
    /// <summary>ρ_t = exp(Δ_t), 0 where outside [min, max].</summary>
    TokenMask,
    /// <summary>ρ_i = clamp(exp(Σ_t Δ_t), min, max) per sequence.</summary>
    SequenceTruncate,
    /// <summary>ρ_i = exp(Σ_t Δ_t), 0 where outside [min, max] (TRL's default).</summary>
    SequenceMask,
}
