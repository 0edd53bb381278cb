namespace RlTrainer.Trainer.Engines;

/// <summary>What a weight sync sends remote engines when the policy trains LoRA adapters (RolloutEngine:LoraSync).</summary>
public enum LoraSyncMode
{
    /// <summary>A full Hugging Face folder with the adapters merged in (W + α/r·B·A), reloaded as the engine's
    /// weights (default; also what a policy without adapters always gets).</summary>
    Merged,
    /// <summary>The adapter folder alone (PEFT layout, megabytes instead of the whole model), loaded through the
    /// engine's LoRA endpoints under a name per version and named in every generation request.</summary>
    Adapter,
}
