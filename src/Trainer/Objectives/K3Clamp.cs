namespace RlTrainer.Trainer.Objectives;

/// <summary>
/// The guards each code base puts on the k3 estimator exp(ℓ_q − ℓ) − (ℓ_q − ℓ) − 1 (see <see cref="KlEstimator"/>).
/// </summary>
public enum K3Clamp
{
    /// <summary>TRL: no clamp.</summary>
    None,

    /// <summary>verl low_var_kl: log-ratio ℓ_q − ℓ clamped to [−20, 20], the estimate clamped to [−10, 10].</summary>
    Verl,

    /// <summary>FeynRL: only the exponent ℓ_q − ℓ clamped to [−10, 10]; the linear term is left unclamped.</summary>
    FeynRl,
}
