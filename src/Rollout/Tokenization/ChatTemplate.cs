using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace RlTrainer.Rollout.Tokenization;

/// <summary>
/// Renders plain system/user/assistant conversations exactly as the Hugging Face Jinja chat template of a ChatML
/// (Qwen2, Qwen2.5, Qwen3) or Llama-3 (3, 3.1, 3.2) model does, without a Jinja interpreter: the family and its
/// variations are read off the template text once, then each render is string concatenation.
/// </summary>
/// <remarks>
/// What is reproduced, per variation found in the template:
/// <list type="bullet">
/// <item>ChatML default system prompt: a literal <c>&lt;|im_start|&gt;system\n...&lt;|im_end|&gt;</c> in the template
/// (Qwen2: "You are a helpful assistant.", Qwen2.5: "You are Qwen, created by Alibaba Cloud. ...") is emitted when
/// the first message is not a system message. Qwen3 has none.</item>
/// <item>Qwen3 reasoning (template mentions reasoning_content): an assistant turn after the last user turn gets
/// <c>&lt;think&gt;\n...\n&lt;/think&gt;\n\n</c> (empty when the content has none); earlier assistant turns lose their
/// <c>&lt;think&gt;</c> block. No <c>&lt;think&gt;</c> is added after the generation prompt (enable_thinking unset).</item>
/// <item>Llama-3: <c>bos_token</c> first, contents trimmed. The original Llama-3 template, which never mentions
/// add_generation_prompt, always ends with the assistant header, and so does this.</item>
/// <item>Llama-3.1/3.2 (template has "Cutting Knowledge Date"): a system block always comes first, with the knowledge
/// date and "Today Date": the template's fixed default (3.1: "26 Jul 2024"), or, when the template calls
/// strftime_now (3.2), the date passed to <see cref="Render"/> (default: today, local clock).</item>
/// </list>
/// <item>ChatML tools (Qwen2.5/Qwen3 Hermes format, docs/algorithms.md#tool-calls): with a tool list, the system turn is the
/// first system message (else the default system prompt, if any) + <c>\n\n</c> + the template's <c># Tools</c> block
/// with one <c>tojson</c> line per tool inside <c>&lt;tools&gt;&lt;/tools&gt;</c>; "tool" messages render as
/// <c>&lt;tool_response&gt;</c> blocks, consecutive ones in one user turn. Rendered this way for every ChatML template,
/// also for simple ones that do not mention tools (our tiny models).</item>
/// </list>
/// Tools on Llama-3, documents, images and other roles are not supported.
/// </remarks>
public sealed class ChatTemplate
{
    private const string ImStart = "<|im_start|>";
    private const string ImEnd = "<|im_end|>";
    private const string HeaderStart = "<|start_header_id|>";
    private const string HeaderEnd = "<|end_header_id|>";
    private const string EndOfTurn = "<|eot_id|>";

    // Qwen2.5 / Qwen3 chat_template text around the tool list, verbatim.
    private const string ToolsHeader = "# Tools\n\nYou may call one or more functions to assist with the user query.\n\n" +
        "You are provided with function signatures within <tools></tools> XML tags:\n<tools>";
    private const string ToolsFooter = "\n</tools>\n\nFor each function call, return a json object with function name and " +
        "arguments within <tool_call></tool_call> XML tags:\n<tool_call>\n{\"name\": <function-name>, \"arguments\": " +
        "<args-json-object>}\n</tool_call>";

    private static readonly Regex ChatMlDefaultSystem =
        new(@"<\|im_start\|>system(?:\\n|\n)(?<prompt>[^'""{}+]*?)<\|im_end\|>", RegexOptions.CultureInvariant);
    private static readonly Regex KnowledgeCutoff = new(@"Cutting Knowledge Date: (?<date>[^\\""'\n]*)", RegexOptions.CultureInvariant);
    private static readonly Regex FixedDate = new(@"set\s+date_string\s*=\s*[""'](?<date>[^""']*)[""']", RegexOptions.CultureInvariant);
    private static readonly Regex ClockDate = new(@"strftime_now\(\s*[""'](?<format>[^""']*)[""']\s*\)", RegexOptions.CultureInvariant);

    private readonly string? _bosToken;
    private readonly bool _reasoningAware;
    private readonly bool _generationPromptAlways;
    private readonly string? _knowledgeCutoff;
    private readonly string? _fixedDate;
    private readonly string? _clockDateFormat;

    private ChatTemplate(string? template, string? bosToken)
    {
        _bosToken = bosToken;
        if (template is null) return;
        if (template.Contains(ImStart, StringComparison.Ordinal)) Kind = ChatTemplateKind.ChatMl;
        else if (template.Contains(HeaderStart, StringComparison.Ordinal)) Kind = ChatTemplateKind.Llama3;
        else return;

        _generationPromptAlways = !template.Contains("add_generation_prompt", StringComparison.Ordinal);
        if (Kind == ChatTemplateKind.ChatMl)
        {
            var match = ChatMlDefaultSystem.Match(template);
            if (match.Success) DefaultSystemPrompt = UnescapeJinja(match.Groups["prompt"].Value);
            _reasoningAware = template.Contains("reasoning_content", StringComparison.Ordinal);
            return;
        }

        var cutoff = KnowledgeCutoff.Match(template);
        if (!cutoff.Success) return;
        _knowledgeCutoff = cutoff.Groups["date"].Value;
        var clock = ClockDate.Match(template);
        if (clock.Success) _clockDateFormat = ToDotNetDateFormat(clock.Groups["format"].Value);
        var fixedDate = FixedDate.Match(template);
        _fixedDate = fixedDate.Success ? fixedDate.Groups["date"].Value : "26 Jul 2024";
    }

    /// <summary>The detected family; <see cref="ChatTemplateKind.Unknown"/> templates cannot be rendered.</summary>
    public ChatTemplateKind Kind { get; }

    /// <summary>ChatML only: the system prompt the template inserts when the conversation has none (null if none).</summary>
    public string? DefaultSystemPrompt { get; }

    /// <summary>Reads a chat_template string; <paramref name="bosToken"/> is tokenizer_config.json's bos_token.</summary>
    public static ChatTemplate Parse(string? template, string? bosToken) => new(template, bosToken);

    /// <summary>Reads chat_template and bos_token from a tokenizer_config.json file.</summary>
    public static ChatTemplate FromTokenizerConfig(string tokenizerConfigPath)
    {
        if (!File.Exists(tokenizerConfigPath)) throw new FileNotFoundException($"{tokenizerConfigPath}: file not found", tokenizerConfigPath);
        var config = TokenizerConfigReader.ReadTokenizerConfig(tokenizerConfigPath);
        return Parse(config.ChatTemplate, config.BosToken);
    }

    /// <summary>
    /// The prompt text the model's template renders for <paramref name="messages"/> (as apply_chat_template with
    /// tokenize=False). <paramref name="today"/> is used only by templates that print the current date (Llama-3.2).
    /// </summary>
    /// <param name="tools">The template's <c>tools</c> argument: one object per tool, OpenAI style
    /// (<c>{"type": "function", "function": {...}}</c>); ChatML only. Null or empty: no tool block.</param>
    public string Render(IReadOnlyList<ChatMessage> messages, bool addGenerationPrompt = true, DateTime? today = null,
        IReadOnlyList<JsonElement>? tools = null)
    {
        ArgumentNullException.ThrowIfNull(messages);
        if (messages.Count == 0) throw new ArgumentException("A chat needs at least one message.", nameof(messages));
        bool chatMl = Kind == ChatTemplateKind.ChatMl;
        for (var i = 0; i < messages.Count; i++)
        {
            var role = messages[i].Role;
            if (role is not ("system" or "user" or "assistant") && !(chatMl && role == "tool"))
                throw new ArgumentException($"messages[{i}].Role is '{role}'; only system, user and assistant are supported" +
                    (chatMl ? ", and tool." : "."), nameof(messages));
        }
        if (tools is { Count: > 0 } && Kind == ChatTemplateKind.Llama3)
            throw new NotSupportedException("Tool lists are rendered for ChatML templates only (Qwen2.5/Qwen3 format), not Llama-3.");
        return Kind switch
        {
            ChatTemplateKind.ChatMl => RenderChatMl(messages, addGenerationPrompt, tools),
            ChatTemplateKind.Llama3 => RenderLlama3(messages, addGenerationPrompt, today ?? DateTime.Now),
            _ => throw new InvalidOperationException(
                "The tokenizer's chat_template is missing or is neither ChatML nor Llama-3; it cannot be rendered."),
        };
    }

    /// <summary>
    /// The text that follows an assistant turn's end-of-turn token when tool messages with <paramref name="results"/>
    /// come next and the model is to answer again: what <see cref="Render"/> gives for [..., assistant, tool × n] with
    /// the generation prompt, after the assistant's <c>&lt;|im_end|&gt;</c>. For ChatML:
    /// <c>\n&lt;|im_start|&gt;user\n&lt;tool_response&gt;\nR\n&lt;/tool_response&gt;&lt;|im_end|&gt;\n&lt;|im_start|&gt;assistant\n</c>.
    /// </summary>
    /// <exception cref="NotSupportedException">for templates other than ChatML.</exception>
    public string ToolResponseContinuation(IReadOnlyList<string> results)
    {
        if (Kind != ChatTemplateKind.ChatMl)
            throw new NotSupportedException("Tool responses are rendered for ChatML templates only (Qwen2.5/Qwen3 format).");
        if (results.Count == 0) throw new ArgumentException("a tool turn needs at least one result", nameof(results));
        var text = new StringBuilder("\n");   // closes the assistant turn: the template writes <|im_end|>\n
        for (var i = 0; i < results.Count; i++) AppendToolResponse(text, results[i], i == 0, i == results.Count - 1);
        return text.Append(ImStart).Append("assistant\n").ToString();
    }

    private string RenderChatMl(IReadOnlyList<ChatMessage> messages, bool addGenerationPrompt, IReadOnlyList<JsonElement>? tools)
    {
        var text = new StringBuilder();
        var first = 0;
        if (tools is { Count: > 0 })
        {
            var system = messages[0].Role == "system" ? messages[0].Content : DefaultSystemPrompt;
            if (messages[0].Role == "system") first = 1;
            text.Append(ImStart).Append("system\n");
            if (system is not null) text.Append(system).Append("\n\n");
            text.Append(ToolsHeader);
            foreach (var tool in tools) text.Append('\n').Append(JinjaJson.Serialize(tool));
            text.Append(ToolsFooter).Append(ImEnd).Append('\n');
        }
        else if (messages[0].Role != "system" && DefaultSystemPrompt is not null)
            AppendChatMlTurn(text, "system", DefaultSystemPrompt);

        var lastQuery = _reasoningAware ? LastUserQueryIndex(messages) : messages.Count - 1;
        for (var i = first; i < messages.Count; i++)
        {
            var message = messages[i];
            if (message.Role == "tool")
                AppendToolResponse(text, message.Content, i == 0 || messages[i - 1].Role != "tool",
                    i == messages.Count - 1 || messages[i + 1].Role != "tool");
            else if (message.Role == "assistant" && _reasoningAware)
                AppendReasoningAssistantTurn(text, message.Content, afterLastQuery: i > lastQuery, isLast: i == messages.Count - 1);
            else
                AppendChatMlTurn(text, message.Role, message.Content);
        }
        if (addGenerationPrompt || _generationPromptAlways) text.Append(ImStart).Append("assistant\n");
        return text.ToString();
    }

    private static void AppendChatMlTurn(StringBuilder text, string role, string content) =>
        text.Append(ImStart).Append(role).Append('\n').Append(content).Append(ImEnd).Append('\n');

    // Qwen: a run of tool messages is one user turn of <tool_response> blocks.
    private static void AppendToolResponse(StringBuilder text, string content, bool opensTurn, bool closesTurn)
    {
        if (opensTurn) text.Append(ImStart).Append("user");
        text.Append("\n<tool_response>\n").Append(content).Append("\n</tool_response>");
        if (closesTurn) text.Append(ImEnd).Append('\n');
    }

    // Qwen3: the last user message that is not a wrapped tool response; later assistant turns keep their reasoning.
    private static int LastUserQueryIndex(IReadOnlyList<ChatMessage> messages)
    {
        for (var i = messages.Count - 1; i >= 0; i--)
        {
            var m = messages[i];
            var toolResponse = m.Content.StartsWith("<tool_response>", StringComparison.Ordinal)
                               && m.Content.EndsWith("</tool_response>", StringComparison.Ordinal);
            if (m.Role == "user" && !toolResponse) return i;
        }
        return messages.Count - 1;
    }

    private static void AppendReasoningAssistantTurn(StringBuilder text, string content, bool afterLastQuery, bool isLast)
    {
        var reasoning = "";
        const string close = "</think>";
        var closeAt = content.IndexOf(close, StringComparison.Ordinal);
        if (closeAt >= 0)
        {
            var beforeClose = content[..closeAt].TrimEnd('\n');
            var openAt = beforeClose.LastIndexOf("<think>", StringComparison.Ordinal);
            reasoning = (openAt >= 0 ? beforeClose[(openAt + "<think>".Length)..] : beforeClose).TrimStart('\n');
            content = content[(content.LastIndexOf(close, StringComparison.Ordinal) + close.Length)..].TrimStart('\n');
        }

        text.Append(ImStart).Append("assistant\n");
        if (afterLastQuery && (isLast || reasoning.Length > 0))
            text.Append("<think>\n").Append(reasoning.Trim('\n')).Append("\n</think>\n\n").Append(content.TrimStart('\n'));
        else
            text.Append(content);
        text.Append(ImEnd).Append('\n');
    }

    private string RenderLlama3(IReadOnlyList<ChatMessage> messages, bool addGenerationPrompt, DateTime today)
    {
        var text = new StringBuilder(_bosToken ?? "");
        var first = 0;
        if (_knowledgeCutoff is not null)
        {
            // 3.1+: the system block is always there, and the first system message moves into it.
            var system = messages[0].Role == "system" ? messages[0].Content.Trim() : "";
            if (messages[0].Role == "system") first = 1;
            var date = _clockDateFormat is not null
                ? today.ToString(_clockDateFormat, CultureInfo.InvariantCulture)
                : _fixedDate;
            text.Append(HeaderStart).Append("system").Append(HeaderEnd).Append("\n\n")
                .Append("Cutting Knowledge Date: ").Append(_knowledgeCutoff).Append('\n')
                .Append("Today Date: ").Append(date).Append("\n\n")
                .Append(system).Append(EndOfTurn);
        }
        for (var i = first; i < messages.Count; i++)
        {
            text.Append(HeaderStart).Append(messages[i].Role).Append(HeaderEnd).Append("\n\n")
                .Append(messages[i].Content.Trim()).Append(EndOfTurn);
        }
        if (addGenerationPrompt || _generationPromptAlways)
            text.Append(HeaderStart).Append("assistant").Append(HeaderEnd).Append("\n\n");
        return text.ToString();
    }

    // The default prompt sits inside a Jinja string literal, where a newline is written \n.
    private static string UnescapeJinja(string literal) =>
        literal.Replace("\\n", "\n", StringComparison.Ordinal).Replace("\\t", "\t", StringComparison.Ordinal);

    private static string ToDotNetDateFormat(string strftime)
    {
        var format = new StringBuilder();
        for (var i = 0; i < strftime.Length; i++)
        {
            if (strftime[i] != '%' || i + 1 == strftime.Length)
            {
                format.Append('\\').Append(strftime[i]);
                continue;
            }
            format.Append(strftime[++i] switch
            {
                'd' => "dd",
                'm' => "MM",
                'Y' => "yyyy",
                'b' => "MMM",
                'B' => "MMMM",
                var other => throw new NotSupportedException($"chat_template: strftime_now format '%{other}' is not supported."),
            });
        }
        return format.ToString();
    }
}
