using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using RlTrainer.Rollout.Tokenization;

namespace RlTrainer.Rollout.Tests.Tokenization;

public sealed class ByteLevelBpeTrainerTests : IDisposable
{
    private static readonly string CorpusPath = Path.GetFullPath(
        Path.Combine(TokenizerFixtures.Root, "..", "..", "..", "..", "tools", "tokenizer-fixture", "tiny-corpus.txt"));

    private readonly string _dir = Path.Combine(Path.GetTempPath(), "rltrainer-bpe-tests", Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public void Train_SmallCorpus_MergesByHand()
    {
        // Pieces "ab", " ab", " ab", " cd": (a,b) occurs 3 times, then (Ġ,ab) twice; every other pair once.
        var model = new ByteLevelBpeTrainer(vocabSize: 300, minFrequency: 2).Train(["ab ab ab cd"]);
        Assert.Equal(new[] { ("a", "b"), ("Ġ", "ab") }, model.Merges);
        Assert.Equal(256 + 2 + 3, model.VocabSize);
        Assert.Equal("Ġab", model.Tokens[257]);
    }

    [Fact]
    public void Train_EqualCounts_TakeTheOrdinallySmallestPair()
    {
        // "ba", " ab": (b,a), (Ġ,a), (a,b) once each -> (a,b) first ('a' < 'b' < 'Ġ'), then (b,a), then (Ġ,ab).
        var model = new ByteLevelBpeTrainer(vocabSize: 300, minFrequency: 1).Train(["ba ab"]);
        Assert.Equal(new[] { ("a", "b"), ("b", "a"), ("Ġ", "ab") }, model.Merges);
    }

    [Fact]
    public void Train_SpecialTokensInCorpus_AreNeverLearned()
    {
        var model = new ByteLevelBpeTrainer(vocabSize: 400, minFrequency: 1).Train(["<|im_end|><|im_end|><|im_end|>"]);
        Assert.Empty(model.Merges);
        Assert.Equal(ByteLevelBpeTrainer.SpecialTokens, model.SpecialTokens);
    }

    [Fact]
    public void Train_MatchesANaiveRecountEveryStep()
    {
        var documents = File.ReadAllText(CorpusPath).Split("\n\n").Take(60).ToList();
        var model = new ByteLevelBpeTrainer(vocabSize: 420, minFrequency: 2).Train(documents);
        var naive = NaiveMerges(documents, merges: 420 - 256 - 3, minFrequency: 2);
        Assert.Equal(naive, model.Merges);
    }

    [Fact]
    public void SavedFiles_LoadInHfTokenizer_AndRoundTrip()
    {
        var model = new ByteLevelBpeTrainer(vocabSize: 512).Train(File.ReadAllText(CorpusPath).Split("\n\n"));
        model.Save(_dir, modelMaxLength: 1024);
        var tokenizer = HfTokenizer.Load(_dir);

        Assert.Equal(model.VocabSize, tokenizer.VocabSize);
        Assert.Equal(new[] { model.Tokens.Count + 2 }, tokenizer.EosTokenIds); // <|im_end|>
        Assert.Equal(model.Tokens.Count, tokenizer.PadTokenId);                  // <|endoftext|>
        Assert.Equal(ChatTemplateKind.ChatMl, tokenizer.ChatTemplateKind);
        foreach (var text in TokenizerFixtures.Texts())
            Assert.Equal(text.Normalize(NormalizationForm.FormC), tokenizer.Decode(tokenizer.Encode(text)));
        // Learned merges make the corpus' own words shorter than their bytes.
        Assert.True(tokenizer.Encode(" apples").Count < Encoding.UTF8.GetByteCount(" apples"));
    }

    [Fact]
    public void CommittedTinyFixture_IsWhatTheTrainerWrites()
    {
        // tiny-bpe's reference ids were checked with transformers.js on these exact files (see Fixtures README):
        // if the trainer's output changes, the fixture must be regenerated and checked again.
        var model = new ByteLevelBpeTrainer(vocabSize: 512).Train(File.ReadAllText(CorpusPath).Split("\n\n", StringSplitOptions.RemoveEmptyEntries));
        model.Save(_dir, modelMaxLength: 1024);
        foreach (var file in new[] { "tokenizer.json", "tokenizer_config.json" })
            Assert.Equal(File.ReadAllText(Path.Combine(TokenizerFixtures.Dir("tiny-bpe"), file)), File.ReadAllText(Path.Combine(_dir, file)));
    }

    // The textbook algorithm: recount every pair over all words before each merge. Slow, obviously right.
    private static List<(string, string)> NaiveMerges(IEnumerable<string> documents, int merges, int minFrequency)
    {
        var split = new Regex(
            @"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+");
        var words = new Dictionary<string, int>();
        foreach (var doc in documents)
        foreach (Match m in split.Matches(doc.Normalize(NormalizationForm.FormC)))
            words[m.Value] = words.GetValueOrDefault(m.Value) + 1;

        var byteChar = GptByteChars();
        var symbols = words.Select(w => (Parts: Encoding.UTF8.GetBytes(w.Key).Select(b => byteChar[b].ToString()).ToList(), Count: w.Value)).ToList();
        var result = new List<(string, string)>();
        while (result.Count < merges)
        {
            var counts = new Dictionary<(string, string), int>();
            foreach (var (parts, count) in symbols)
                for (var i = 0; i + 1 < parts.Count; i++)
                    counts[(parts[i], parts[i + 1])] = counts.GetValueOrDefault((parts[i], parts[i + 1])) + count;
            if (counts.Count == 0) break;
            var best = counts.OrderByDescending(c => c.Value)
                .ThenBy(c => c.Key.Item1, StringComparer.Ordinal).ThenBy(c => c.Key.Item2, StringComparer.Ordinal).First();
            if (best.Value < minFrequency) break;
            result.Add(best.Key);
            foreach (var (parts, _) in symbols)
                for (var i = 0; i + 1 < parts.Count; i++)
                    if (parts[i] == best.Key.Item1 && parts[i + 1] == best.Key.Item2)
                    {
                        parts[i] += parts[i + 1];
                        parts.RemoveAt(i + 1);
                    }
        }
        return result;
    }

    // GPT-2's byte-to-character table, written out from its definition for this test.
    private static char[] GptByteChars()
    {
        var visible = Enumerable.Range('!', '~' - '!' + 1).Concat(Enumerable.Range(0xA1, 0xAC - 0xA1 + 1)).Concat(Enumerable.Range(0xAE, 0xFF - 0xAE + 1)).ToHashSet();
        var table = new char[256];
        var extra = 0;
        for (var b = 0; b < 256; b++) table[b] = visible.Contains(b) ? (char)b : (char)(256 + extra++);
        return table;
    }
}
