namespace RlTrainer.Trainer.Objectives;

/// <summary>Where the importance ratio π_θ/π_old is formed (TRL <c>importance_sampling_level</c>).</summary>
public enum ImportanceSamplingLevel
{
    /// <summary>One ratio per token, exp(ℓ_t − ℓ^old_t) (GRPO/PPO).</summary>
    Token,

    /// <summary>GSPO: one ratio per sequence, exp of the masked mean token log-ratio; its gradient reaches every token.</summary>
    Sequence,
}
