namespace RlTrainer.Rollout.Tokenization;

/// <summary>The chat format family detected from tokenizer_config.json's chat_template.</summary>
public enum ChatTemplateKind
{
    /// <summary>No template, or one that is neither ChatML nor Llama-3; rendering is refused.</summary>
    Unknown,

    /// <summary><c>&lt;|im_start|&gt;role\ncontent&lt;|im_end|&gt;\n</c> (Qwen2, Qwen2.5, Qwen3, our tiny model).</summary>
    ChatMl,

    /// <summary><c>&lt;|start_header_id|&gt;role&lt;|end_header_id|&gt;\n\ncontent&lt;|eot_id|&gt;</c> (Llama-3, 3.1, 3.2).</summary>
    Llama3,
}
