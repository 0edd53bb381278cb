namespace RlTrainer.Trainer.Data.Generation;

/// <summary>
/// The text of an assistant turn that calls the calculator tool once, in ChatML (the bundled tokenizer's format), as
/// an SFT target: the call the model writes, its end of turn, the tool response the trainer injects (a user turn
/// holding the result, then a new assistant header), and the model's continuation. SFT trains the model's parts only:
/// <see cref="Sft.SftExampleEncoder"/> gives the injected span loss mask 0, as the rollout does for injected tokens.
/// Example: <c>&lt;tool_call&gt;\n{"name": "calculator", "arguments": {"expression": "123*456"}}\n&lt;/tool_call&gt;&lt;|im_end|&gt;</c>
/// <c>\n&lt;|im_start|&gt;user\n&lt;tool_response&gt;\n56088\n&lt;/tool_response&gt;&lt;|im_end|&gt;\n&lt;|im_start|&gt;assistant\n</c>
/// <c>56088 = 123 * 456. \boxed{56088}</c>.
/// </summary>
public static class ToolCallTranscript
{
    /// <summary>The tool's name in the call.</summary>
    public const string ToolName = "calculator";

    private const string EndOfTurn = "<|im_end|>";

    /// <summary>What the model writes to call the calculator on <paramref name="expression"/> (digits and + - * / only, so no JSON escaping).</summary>
    public static string Call(string expression)
    {
        if (expression.Any(c => c is '"' or '\\' || char.IsControl(c)))
            throw new ArgumentException($"expression '{expression}' would need JSON escaping", nameof(expression));
        return $"<tool_call>\n{{\"name\": \"{ToolName}\", \"arguments\": {{\"expression\": \"{expression}\"}}}}\n</tool_call>";
    }

    /// <summary>What the trainer injects after the call's end of turn: the result as a tool response, then the next assistant header.</summary>
    public static string Response(string result) =>
        $"\n<|im_start|>user\n<tool_response>\n{result}\n</tool_response>{EndOfTurn}\n<|im_start|>assistant\n";

    /// <summary>
    /// The continuation the generated data trains after a response: the value read back first, then the step it is the
    /// value of, then the value boxed. Value first, so that nothing is left to work out in the head (a continuation
    /// "123 * 456 = ..." taught the tiny model to compute after the call, wrongly, instead of reading the response);
    /// the step restated all the same, because copying the operands once more after the call is what keeps the call's
    /// copy of them right (without it the tiny model copied them right in about a quarter of its sampled calls, with
    /// it in over half). Example: <c>ReadBack("56088", "123 * 456")</c> is <c>56088 = 123 * 456. \boxed{56088}</c>.
    /// </summary>
    public static string ReadBack(string result, string step) => $"{result} = {step}. \\boxed{{{result}}}";

    /// <summary>The whole target: call, end of turn, injected response, continuation (the trainer appends the final end of turn).</summary>
    public static string Target(string expression, string result, string continuation) =>
        Call(expression) + EndOfTurn + Response(result) + continuation;
}
