using RlTrainer.Rollout.Model;
using RlTrainer.Rollout.Sampling;
using static TorchSharp.torch;

namespace RlTrainer.Rollout.Tests.Sampling;

/// <summary>
/// vocab_size 151936 with the real Qwen3 tokenizer (151,669 ids): the 267 padded ids are never sampled, on any path,
/// even when their logits dwarf every real one, and the trainer's teacher-forced log-probs equal the sampler's.
/// </summary>
public class PaddedVocabularySamplingTests
{
    private static GenerationRequest[] Requests(int rows) =>
        Enumerable.Range(0, rows).Select(i => new GenerationRequest(new[] { 9707, 11, 1879 + i, 0, 220 }, 40 + i)).ToArray();

    public static TheoryData<string, double, int, double> Paths => new()
    {
        { "sampled", 1.0, 0, 1.0 },
        { "top-k", 1.0, 50, 1.0 },
        { "top-p", 0.7, 0, 0.9 },
        { "greedy", 1.0, 0, 1.0 },
    };

    [Theory]
    [MemberData(nameof(Paths))]
    public void PaddedIds_AreNeverSampled(string path, double temperature, int topK, double topP)
    {
        using var model = PaddedVocabulary.Model(seed: 1, poisonPadding: true);
        var options = new SamplingOptions
        {
            MaxNewTokens = 12, Temperature = temperature, TopK = topK, TopP = topP, Greedy = path == "greedy",
        };
        var results = new BatchSampler(model).Generate(Requests(4), options);
        var ids = results.SelectMany(r => r.TokenIds).ToList();
        Assert.Equal(4 * 12, ids.Count);
        Assert.All(ids, id => Assert.InRange(id, 0, PaddedVocabulary.TokenizerIds - 1));
        Assert.All(results.SelectMany(r => r.LogProbs), lp => Assert.True(float.IsFinite(lp) && lp <= 0));
        var text = PaddedVocabulary.Tokenizer.Decode(results[0].TokenIds);  // decodes without throwing
        Assert.NotNull(text);
    }

    [Fact]
    public void WithoutTheTokenizerLimit_ThePoisonedRowsWin()
    {
        // The control: the same weights with logits over all 151936 rows sample padded ids, so the test above can fail.
        using var model = PaddedVocabulary.Model(seed: 1, poisonPadding: true);
        model.UseTokenizerVocabulary(PaddedVocabulary.VocabSize, "all rows");
        var results = new BatchSampler(model).Generate(Requests(4), new SamplingOptions { MaxNewTokens = 12 });
        Assert.Contains(results.SelectMany(r => r.TokenIds), id => id >= PaddedVocabulary.TokenizerIds);
    }

    [Fact]
    public void TeacherForcedLogProbs_EqualSamplerLogProbs()
    {
        using var model = PaddedVocabulary.Model(seed: 2, poisonPadding: true);
        var requests = Requests(3);
        var results = new BatchSampler(model).Generate(requests, new SamplingOptions { MaxNewTokens = 8, Temperature = 0.8 });
        for (int i = 0; i < requests.Length; i++)
        {
            var seq = requests[i].PromptIds.Concat(results[i].TokenIds).Select(x => (long)x).ToArray();
            using var ids = tensor(seq, new long[] { 1, seq.Length });
            using var mask = ones(new long[] { 1, seq.Length }, ScalarType.Bool);
            using var logp = TokenLogProbs.Compute(model, ids, mask, 0.8);
            int p = requests[i].PromptIds.Count;
            for (int j = 0; j < results[i].TokenIds.Count; j++)
                Assert.Equal(results[i].LogProbs[j], logp[0, p + j - 1].item<float>(), 1e-4);
        }
    }

    [Fact]
    public void UnknownIds_DecodeToNothing()
    {
        var tokenizer = PaddedVocabulary.Tokenizer;
        Assert.Equal(PaddedVocabulary.TokenizerIds, tokenizer.VocabSize);
        var hello = tokenizer.Encode("Hello");
        Assert.Equal("Hello", tokenizer.Decode(hello.Append(151897).Append(-1).Append(1 << 20)));
        var stream = tokenizer.CreateIncrementalDecoder();
        Assert.Equal("", stream.Append(151897));
        Assert.False(tokenizer.IsDefined(151897));
        Assert.True(tokenizer.IsDefined(hello[0]));
    }

    [Fact]
    public void TokenizerLargerThanTheModel_IsAnError_NamingBothNumbers()
    {
        var dir = Path.Combine(Path.GetTempPath(), "rltrainer-small-vocab-" + Guid.NewGuid().ToString("N"));
        try
        {
            using (var small = new CausalLm(TinyModels.Config("qwen2", 1000), ComputeDevice.Cpu))
                HfModelFolder.Save(small, dir);
            var e = Assert.Throws<InvalidDataException>(() => HfModelFolder.Load(dir, ComputeDevice.Cpu, PaddedVocabulary.Tokenizer));
            Assert.Contains("151669", e.Message);
            Assert.Contains("vocab_size 1000", e.Message);
            Assert.Contains("tokenizer.json", e.Message);
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        }
    }
}
