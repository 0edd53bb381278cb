using RlTrainer.Rollout.Tokenization;
using RlTrainer.Trainer.Data;
using RlTrainer.Trainer.Data.Generation;
using RlTrainer.Trainer.Sft;

namespace RlTrainer.Trainer.Tests.Sft;

/// <summary>
/// SFT sequences from rows with the bundled (ChatML) tokenizer: plain targets are trained whole; in a tool transcript
/// the injected tool response, and only it, has loss mask 0. Expected texts are written out here, not built by the
/// code under test.
/// </summary>
public sealed class SftExampleEncoderTests
{
    private static readonly HfTokenizer Tokenizer = HfTokenizer.Load(RepoPaths.Of("data", "models", "tiny-math"));
    private static readonly SftExampleEncoder Encoder = new(new PromptEncoder(Tokenizer));
    private static readonly int ImEnd = Tokenizer.TokenToId("<|im_end|>")!.Value;

    private static RlExample Row(string target) => new([new("user", "Sam has 123 coins and multiplies them by 456. How many coins does Sam have now?")],
        "56088", "arith", "math", target) { SourceFile = "tools.parquet", Index = 7 };

    private static string Decode(SftExample e, bool trained) =>
        Tokenizer.Decode(e.TargetIds.Where((_, j) => e.IsTrained(j) == trained));

    [Fact]
    public void PlainTarget_IsTrainedWhole_WithTheEndOfTurnAppended()
    {
        var e = Encoder.Encode(Row("123 * 456 = 56088. \\boxed{56088}"));

        Assert.Equal(Tokenizer.Encode("123 * 456 = 56088. \\boxed{56088}").Append(ImEnd), e.TargetIds);
        Assert.Null(e.TargetTrained);
        Assert.Equal(e.TargetIds.Count, e.TrainedTokens);
        Assert.Equal(Tokenizer.Encode("<|im_start|>user\nSam has 123 coins and multiplies them by 456. How many coins does Sam have now?<|im_end|>\n<|im_start|>assistant\n"), e.PromptIds);
    }

    [Fact]
    public void ToolTranscript_MasksExactlyTheInjectedResponse()
    {
        var e = Encoder.Encode(Row(ToolCallTranscript.Target("123*456", "56088", "123 * 456 = 56088. \\boxed{56088}")));

        const string injected = "\n<|im_start|>user\n<tool_response>\n56088\n</tool_response><|im_end|>\n<|im_start|>assistant\n";
        const string call = "<tool_call>\n{\"name\": \"calculator\", \"arguments\": {\"expression\": \"123*456\"}}\n</tool_call>";
        Assert.Equal(injected, Decode(e, trained: false));
        Assert.Equal(call + "<|im_end|>" + "123 * 456 = 56088. \\boxed{56088}<|im_end|>", Decode(e, trained: true));
        // The call, its end of turn, the injected span, the continuation: each piece encoded on its own, in order.
        var expected = Tokenizer.Encode(call).Append(ImEnd).Concat(Tokenizer.Encode(injected))
            .Concat(Tokenizer.Encode("123 * 456 = 56088. \\boxed{56088}")).Append(ImEnd).ToList();
        Assert.Equal(expected, e.TargetIds);
        int callTokens = Tokenizer.Encode(call).Count + 1, injectedTokens = Tokenizer.Encode(injected).Count;
        Assert.Equal(Enumerable.Range(0, e.TargetIds.Count).Select(j => j < callTokens || j >= callTokens + injectedTokens), e.TargetTrained!);
        Assert.Equal(e.TargetIds.Count - injectedTokens, e.TrainedTokens);
    }

    [Fact]
    public void TwoToolCalls_TwoMaskedSpans()
    {
        var first = ToolCallTranscript.Target("123*456", "56088", "");
        var e = Encoder.Encode(Row(first + ToolCallTranscript.Target("56088+1", "56089", "\\boxed{56089}")));

        Assert.Equal("\n<|im_start|>user\n<tool_response>\n56088\n</tool_response><|im_end|>\n<|im_start|>assistant\n"
                     + "\n<|im_start|>user\n<tool_response>\n56089\n</tool_response><|im_end|>\n<|im_start|>assistant\n", Decode(e, trained: false));
        var runs = e.TargetTrained!.Zip(e.TargetTrained!.Skip(1)).Count(p => p.First && !p.Second);
        Assert.Equal(2, runs);
        Assert.EndsWith("\\boxed{56089}<|im_end|>", Decode(e, trained: true));
    }

    [Fact]
    public void TargetEndingInAToolTurn_IsRefused_NamingFileAndRow()
    {
        var bad = Row("<tool_call>\n{}\n</tool_call><|im_end|>\n<|im_start|>user\n<tool_response>\n1\n</tool_response><|im_end|>\n");

        var ex = Assert.Throws<InvalidDataException>(() => Encoder.Encode(bad));
        Assert.Contains("tools.parquet: row 7", ex.Message);
        Assert.Contains("not followed by an assistant turn", ex.Message);
    }

    [Fact]
    public void ReplayedSftSources_MaskTheSameWay()
    {
        var row = Row(ToolCallTranscript.Target("123*456", "56088", "\\boxed{56088}"));

        var replayed = RlTrainer.Trainer.Replay.ReplaySource.ToSft(row, new PromptEncoder(Tokenizer));
        var direct = Encoder.Encode(row);
        Assert.Equal(direct.TargetIds, replayed.TargetIds);
        Assert.Equal(direct.TargetTrained, replayed.TargetTrained);
    }
}
