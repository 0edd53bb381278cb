using System.Text.Json;
using RlTrainer.Rollout.Tokenization;

namespace RlTrainer.Trainer.Data;

/// <summary>
/// Turns an example's chat prompt into model input ids the same way for SFT, rollouts and evaluation: the model's
/// chat template with the generation prompt when the tokenizer has one, else the message contents joined by a blank
/// line (a base model without a template).
/// </summary>
public sealed class PromptEncoder(HfTokenizer tokenizer)
{
    public HfTokenizer Tokenizer => tokenizer;

    /// <param name="tools">The template's tool list (multi-turn rollouts with tools); needs a chat template.</param>
    public string Render(IReadOnlyList<ChatMessage> prompt, IReadOnlyList<JsonElement>? tools = null) =>
        tokenizer.ChatTemplateKind == ChatTemplateKind.Unknown && tools is not { Count: > 0 }
            ? string.Join("\n\n", prompt.Select(m => m.Content))
            : tokenizer.ApplyChatTemplate(prompt, addGenerationPrompt: true, tools);

    public IReadOnlyList<int> Encode(IReadOnlyList<ChatMessage> prompt, IReadOnlyList<JsonElement>? tools = null) =>
        tokenizer.Encode(Render(prompt, tools));

    /// <summary>Ids that end a completion: the tokenizer's eos ids and the end-of-turn id.</summary>
    public HashSet<int> StopTokenIds() => tokenizer.EosTokenIds.Append(EndOfTurnId()).ToHashSet();

    /// <summary>
    /// The id that closes an assistant turn: &lt;|im_end|&gt; for ChatML, &lt;|eot_id|&gt; for Llama-3, else the smallest eos id.
    /// SFT appends it to every target so the model learns to stop.
    /// </summary>
    public int EndOfTurnId()
    {
        string? name = tokenizer.ChatTemplateKind switch
        {
            ChatTemplateKind.ChatMl => "<|im_end|>",
            ChatTemplateKind.Llama3 => "<|eot_id|>",
            _ => null,
        };
        if (name is not null && tokenizer.TokenToId(name) is { } id) return id;
        if (tokenizer.EosTokenIds.Count > 0) return tokenizer.EosTokenIds.Min();
        throw new InvalidDataException("the tokenizer names no eos token (tokenizer_config.json eos_token or generation_config.json eos_token_id).");
    }

    /// <summary>
    /// The text that opens an assistant turn (the generation prompt): "&lt;|im_start|&gt;assistant\n" for ChatML,
    /// "&lt;|start_header_id|&gt;assistant&lt;|end_header_id|&gt;\n\n" for Llama-3; null without a chat template.
    /// </summary>
    public string? AssistantHeader() => tokenizer.ChatTemplateKind switch
    {
        ChatTemplateKind.ChatMl => "<|im_start|>assistant\n",
        ChatTemplateKind.Llama3 => "<|start_header_id|>assistant<|end_header_id|>\n\n",
        _ => null,
    };
}
