namespace RlTrainer.Trainer.Engines;

/// <summary>The HTTP dialect the remote engines speak.</summary>
public enum EngineDialect
{
    /// <summary>vLLM's OpenAI-compatible POST /v1/completions with token-id prompts; weights reloaded through the dev-mode
    /// POST /collective_rpc {"method":"reload_weights"}.</summary>
    Vllm,
    /// <summary>SGLang's native POST /generate with input_ids; weights reloaded through POST /update_weights_from_disk.</summary>
    Sglang,
}
