using System.Text.Json;
using RlTrainer.Trainer.Cli;

namespace RlTrainer.Trainer.Tests.Cli;

public class TokenizeCommandTests
{
    // The tiny tokenizer fixture and its reference ids, produced by transformers.js (Rollout.Tests' Fixtures README).
    private static readonly string TinyDir = FindTinyFixture();

    private static string FindTinyFixture()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "Rollout.Tests", "Fixtures", "tokenizers", "tiny-bpe");
            if (Directory.Exists(candidate)) return candidate;
        }
        throw new DirectoryNotFoundException("tiny-bpe tokenizer fixture not found");
    }

    private static Dictionary<string, int[]> ReferenceIds()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(TinyDir, "expected-ids.json")));
        return doc.RootElement.GetProperty("cases").EnumerateArray().ToDictionary(
            c => c.GetProperty("text").GetString()!,
            c => c.GetProperty("ids").EnumerateArray().Select(i => i.GetInt32()).ToArray());
    }

    private static (int ExitCode, string[] Output, string Error) Run(string dir, params string[] lines)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = TokenizeCommand.Run(dir, new StringReader(string.Join("\n", lines)), output, error);
        var outLines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        return (code, outLines, error.ToString());
    }

    private static int[] IdsOf(string jsonLine)
    {
        using var doc = JsonDocument.Parse(jsonLine);
        return doc.RootElement.GetProperty("ids").EnumerateArray().Select(i => i.GetInt32()).ToArray();
    }

    [Fact]
    public void Run_GoodLines_WriteReferenceIdsInOrder()
    {
        var reference = ReferenceIds();
        var texts = new[] { "Hello, world!", "<|im_start|>user\nHi there<|im_end|>\n<|im_start|>assistant\n", "", "👨‍👩‍👧‍👦 family ZWJ sequence" };
        var (code, output, error) = Run(TinyDir, texts.Select(t => JsonSerializer.Serialize(new { text = t })).ToArray());

        Assert.Equal(0, code);
        Assert.Equal("", error);
        Assert.Equal(texts.Length, output.Length);
        for (var i = 0; i < texts.Length; i++) Assert.Equal(reference[texts[i]], IdsOf(output[i]));
    }

    [Fact]
    public void Run_BadLines_AreReportedByNumber_OthersStillWritten_ExitNonZero()
    {
        var reference = ReferenceIds();
        var (code, output, error) = Run(TinyDir,
            "{\"text\": \"Hello, world!\"}",
            "{\"text\": ",
            "{\"other\": 1}",
            "",
            "{\"text\": \"1234567890\", \"id\": 7}");

        Assert.Equal(1, code);
        Assert.Equal(2, output.Length);
        Assert.Equal(reference["Hello, world!"], IdsOf(output[0]));
        Assert.Equal(reference["1234567890"], IdsOf(output[1]));
        Assert.Contains("line 2:", error);
        Assert.Contains("line 3:", error);
        Assert.DoesNotContain("line 1:", error);
        Assert.DoesNotContain("line 5:", error);
    }

    [Fact]
    public void Run_MissingTokenizer_FailsWithThePath()
    {
        var missing = Path.Combine(Path.GetTempPath(), "no-such-tokenizer-" + Guid.NewGuid().ToString("N"));
        var (code, output, error) = Run(missing, "{\"text\": \"x\"}");
        Assert.Equal(2, code); // bad input, not a failed run
        Assert.Empty(output);
        Assert.Contains(missing, error);
    }
}
