namespace RlTrainer.Trainer.Engines;

/// <summary>What an engine says about itself at start.</summary>
/// <param name="Version">vLLM's GET /version "version", SGLang's GET /get_server_info "version".</param>
/// <param name="DeterministicInference">SGLang's enable_deterministic_inference; null when the answer has no such
/// field (vLLM, or an SGLang build older than per-request seeds).</param>
public sealed record EngineInfo(string Version, bool? DeterministicInference = null);
