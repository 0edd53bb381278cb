namespace RlTrainer.Trainer.Tools;

/// <summary>How tool calls and results are written in the transcript.</summary>
public enum ToolCallFormat
{
    /// <summary>Hermes / Qwen2.5 / Qwen3: <c>&lt;tool_call&gt;{"name": ..., "arguments": {...}}&lt;/tool_call&gt;</c> in
    /// the assistant turn, results as <c>&lt;tool_response&gt;</c> blocks in a user turn (ChatML templates).</summary>
    Hermes,
}
