using RlTrainer.Rollout.Model;
using RlTrainer.Rollout.Sampling;
using static TorchSharp.torch;

namespace RlTrainer.Rollout.Tests.Sampling;

public class BatchSamplerTests
{
    private static readonly int[][] Prompts =
    {
        new[] { 5, 17, 33, 2, 8, 40, 41 },
        new[] { 9, 3 },
        new[] { 60, 61, 62, 63, 64 },
    };

    private static GenerationRequest[] Requests(int seed0 = 100) =>
        Prompts.Select((p, i) => new GenerationRequest(p, seed0 + i)).ToArray();

    [Theory]
    [InlineData("qwen2")]
    [InlineData("qwen3")]
    [InlineData("llama")]
    public void Greedy_WithCache_EqualsFullRecompute(string type)
    {
        using var model = TinyModels.Random(type, seed: 1);
        var sampler = new BatchSampler(model);
        var o = new SamplingOptions { Greedy = true, MaxNewTokens = 12 };
        var cached = sampler.Generate(Requests(), o);
        var full = sampler.Generate(Requests(), o with { UseKvCache = false });
        for (int i = 0; i < Prompts.Length; i++)
        {
            Assert.Equal(full[i].TokenIds, cached[i].TokenIds);
            for (int t = 0; t < full[i].LogProbs.Count; t++) Assert.Equal(full[i].LogProbs[t], cached[i].LogProbs[t], 1e-4);
        }
    }

    [Fact]
    public void Greedy_InABatch_EqualsEachPromptAlone()
    {
        using var model = TinyModels.Random("qwen2", seed: 2);
        var sampler = new BatchSampler(model);
        var o = new SamplingOptions { Greedy = true, MaxNewTokens = 10 };
        var batch = sampler.Generate(Requests(), o);
        for (int i = 0; i < Prompts.Length; i++)
        {
            var alone = sampler.Generate(new[] { new GenerationRequest(Prompts[i], 0) }, o)[0];
            Assert.Equal(alone.TokenIds, batch[i].TokenIds);
        }
    }

    [Theory]
    [InlineData(1.0, 1.0, 0)]
    [InlineData(0.7, 0.9, 0)]
    [InlineData(1.3, 1.0, 5)]
    public void SampledLogProbs_EqualTeacherForcedLogProbs(double temperature, double topP, int topK)
    {
        using var model = TinyModels.Random("qwen3", seed: 3, std: 0.1);
        var sampler = new BatchSampler(model);
        var o = new SamplingOptions { MaxNewTokens = 9, Temperature = temperature, TopP = topP, TopK = topK };
        var results = sampler.Generate(Requests(), o);
        for (int i = 0; i < Prompts.Length; i++)
        {
            var seq = Prompts[i].Concat(results[i].TokenIds).Select(x => (long)x).ToArray();
            using var ids = tensor(seq).unsqueeze(0);
            using var mask = ones(1, seq.Length, ScalarType.Bool);
            using var lp = TokenLogProbs.Compute(model, ids, mask, temperature);    // (1, T−1)
            var expected = lp[0].narrow(0, Prompts[i].Length - 1, results[i].TokenIds.Count).data<float>().ToArray();
            for (int t = 0; t < expected.Length; t++) Assert.Equal(expected[t], results[i].LogProbs[t], 1e-4);
        }
    }

    [Fact]
    public void SameSeed_SameTokens_DifferentSeed_DifferentTokens()
    {
        using var model = TinyModels.Random("llama", seed: 4, std: 0.05);
        var sampler = new BatchSampler(model);
        var o = new SamplingOptions { MaxNewTokens = 16 };
        var a = sampler.Generate(Requests(100), o);
        var b = sampler.Generate(Requests(100), o);
        var c = sampler.Generate(Requests(200), o);
        for (int i = 0; i < Prompts.Length; i++) Assert.Equal(a[i].TokenIds, b[i].TokenIds);
        Assert.Contains(Enumerable.Range(0, Prompts.Length), i => !a[i].TokenIds.SequenceEqual(c[i].TokenIds));
        // a row's seed fixes its tokens whatever else shares the batch
        var alone = sampler.Generate(new[] { new GenerationRequest(Prompts[1], 101) }, o)[0];
        Assert.Equal(a[1].TokenIds, alone.TokenIds);
    }

    [Fact]
    public void TopK1_IsGreedy()
    {
        using var model = TinyModels.Random("qwen2", seed: 5);
        var sampler = new BatchSampler(model);
        var greedy = sampler.Generate(Requests(), new SamplingOptions { Greedy = true, MaxNewTokens = 8 });
        var topk1 = sampler.Generate(Requests(), new SamplingOptions { TopK = 1, MaxNewTokens = 8 });
        for (int i = 0; i < Prompts.Length; i++) Assert.Equal(greedy[i].TokenIds, topk1[i].TokenIds);
    }

    [Fact]
    public void Eos_StopsTheRow_AndFinishedRowsLeaveTheBatch()
    {
        using var model = TinyModels.Random("qwen2", seed: 6);
        var sampler = new BatchSampler(model);
        var o = new SamplingOptions { Greedy = true, MaxNewTokens = 12 };
        var free = sampler.Generate(Requests(), o);
        // make the 3rd greedy token of row 0 an eos token: row 0 must stop there, the others run on unchanged
        int eos = free[0].TokenIds[2];
        var stopped = sampler.Generate(Requests(), o with { EosTokenIds = new HashSet<int> { eos } });
        Assert.Equal(FinishReason.Stop, stopped[0].FinishReason);
        Assert.Equal(free[0].TokenIds.TakeWhile(t => t != eos).Append(eos), stopped[0].TokenIds);
        for (int i = 1; i < Prompts.Length; i++)
        {
            var expect = free[i].TokenIds.TakeWhile(t => t != eos).ToList();
            if (expect.Count < free[i].TokenIds.Count) expect.Add(eos);
            Assert.Equal(expect, stopped[i].TokenIds);
        }
        Assert.Equal(FinishReason.Length, free[0].FinishReason);
        Assert.Equal(12, free[0].TokenIds.Count);
        // compute follows live rows: slot-steps equal the sampled tokens, not rows × steps
        var stats = sampler.LastStats!;
        Assert.Equal(stats.SampledTokens, stats.SlotSteps);
        Assert.True(stats.SlotSteps < Prompts.Length * stats.DecodeSteps);
    }

    [Fact]
    public void StopString_EndsTheRow()
    {
        using var model = TinyModels.Random("qwen2", seed: 7);
        // decoder: token id t → one char; stop string = the chars of greedy tokens 3 and 4
        string Decode(IReadOnlyList<int> ids) => new(ids.Select(i => (char)('A' + i % 26)).ToArray());
        var sampler = new BatchSampler(model, Decode);
        var o = new SamplingOptions { Greedy = true, MaxNewTokens = 12 };
        var free = sampler.Generate(Requests(), o);
        var stop = Decode(free[0].TokenIds.Skip(3).Take(2).ToList());
        var r = sampler.Generate(Requests(), o with { StopStrings = new[] { stop } })[0];
        Assert.Equal(FinishReason.Stop, r.FinishReason);
        Assert.Contains(stop, Decode(r.TokenIds));
        Assert.True(r.TokenIds.Count <= 5);
        Assert.DoesNotContain(stop, Decode(r.TokenIds.Take(r.TokenIds.Count - 1).ToList()));
    }
}
