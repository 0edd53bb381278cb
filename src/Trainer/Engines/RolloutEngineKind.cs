namespace RlTrainer.Trainer.Engines;

/// <summary>Where a step's completions are sampled.</summary>
public enum RolloutEngineKind
{
    /// <summary>The built-in batched sampler on the trainer's own policy (default).</summary>
    Local,
    /// <summary>Inference servers over HTTP (vLLM, SGLang or `rltrainer serve`), with weight sync after each update.</summary>
    Remote,
}
