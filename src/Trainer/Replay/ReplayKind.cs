namespace RlTrainer.Trainer.Replay;

/// <summary>How a replay source's items are trained.</summary>
public enum ReplayKind
{
    /// <summary>SFT when every row of the source has a target completion, else RL.</summary>
    Auto,

    /// <summary>Prompts with a verifiable answer: sampled, scored by the run's reward mix, trained with the policy-gradient loss.</summary>
    Rl,

    /// <summary>Prompt + target completion: token-level NLL on the target tokens.</summary>
    Sft,
}
