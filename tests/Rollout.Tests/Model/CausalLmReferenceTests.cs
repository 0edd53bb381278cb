using System.Text.Json;
using RlTrainer.Rollout.Model;
using RlTrainer.Rollout.Sampling;
using static TorchSharp.torch;

namespace RlTrainer.Rollout.Tests.Model;

/// <summary>
/// Logits and log-probs against PyTorch on the same weights: the fixtures in Fixtures/models were made by
/// tools/reference/make_model_fixtures.py (an independent plain-PyTorch forward written from the HF modeling code).
/// </summary>
public class CausalLmReferenceTests
{
    private const double Tolerance = 1e-4;

    public static TheoryData<string> Models => new() { "tiny-qwen2", "tiny-qwen3", "tiny-llama" };

    private static string Dir(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", "models", name);

    private sealed record Expected(long[][] Ids, bool[][] Mask, long[][] Positions, JsonElement Root);

    private static Expected Load(string name)
    {
        var root = JsonDocument.Parse(File.ReadAllText(Path.Combine(Dir(name), "expected.json"))).RootElement;
        long[][] Longs(string key) => root.GetProperty(key).EnumerateArray().Select(r => r.EnumerateArray().Select(x => x.GetInt64()).ToArray()).ToArray();
        return new Expected(Longs("input_ids"), Longs("attention_mask").Select(r => r.Select(x => x == 1).ToArray()).ToArray(), Longs("position_ids"), root);
    }

    private static (Tensor Ids, Tensor Mask) Batch(Expected e)
    {
        int b = e.Ids.Length, t = e.Ids[0].Length;
        return (tensor(e.Ids.SelectMany(r => r).ToArray(), new long[] { b, t }),
                tensor(e.Mask.SelectMany(r => r).ToArray(), new long[] { b, t }));
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void Logits_MatchPyTorch(string name)
    {
        var e = Load(name);
        using var model = HfModelFolder.Load(Dir(name), ComputeDevice.Cpu);
        var (ids, mask) = Batch(e);
        using var _ = ids; using var __ = mask;
        // Our positions (index among real tokens) must equal HF's cumsum(mask) − 1 at every real token.
        using var positions = (mask.to(ScalarType.Int64).cumsum(1) - 1).clamp_min(0);
        using var logits = model.Forward(ids, positions, mask);                     // (B, T, V)
        var expected = e.Root.GetProperty("logits");
        double worst = 0;
        for (int b = 0; b < e.Ids.Length; b++)
            for (int t = 0; t < e.Ids[b].Length; t++)
            {
                if (!e.Mask[b][t]) continue;
                Assert.Equal(e.Positions[b][t], positions[b, t].item<long>());
                var want = expected[b][t].EnumerateArray().Select(x => x.GetDouble()).ToArray();
                var got = logits[b, t].data<float>().ToArray();
                for (int v = 0; v < want.Length; v++) worst = Math.Max(worst, Math.Abs(want[v] - got[v]));
            }
        Assert.True(worst < Tolerance, $"{name}: max |logit − PyTorch| = {worst:E2}");
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void TeacherForcedLogProbs_MatchPyTorch(string name)
    {
        var e = Load(name);
        using var model = HfModelFolder.Load(Dir(name), ComputeDevice.Cpu);
        var (ids, mask) = Batch(e);
        using var _ = ids; using var __ = mask;
        foreach (var (key, temperature) in new[] { ("next_token_logprobs", 1.0), ("next_token_logprobs_temp0.7", 0.7) })
        {
            using var lp = TokenLogProbs.Compute(model, ids, mask, temperature);     // (B, T−1)
            var expected = e.Root.GetProperty(key);
            for (int b = 0; b < e.Ids.Length; b++)
                for (int t = 0; t < e.Ids[b].Length - 1; t++)
                {
                    var want = expected[b][t];
                    if (want.ValueKind == JsonValueKind.Null) continue;
                    Assert.Equal(want.GetDouble(), lp[b, t].item<float>(), Tolerance);
                }
        }
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void GreedyContinuation_MatchesPyTorch(string name)
    {
        var e = Load(name);
        using var model = HfModelFolder.Load(Dir(name), ComputeDevice.Cpu);
        var g = e.Root.GetProperty("greedy_continuation");
        var prompt = g.GetProperty("prompt_ids").EnumerateArray().Select(x => x.GetInt32()).ToArray();
        var want = g.GetProperty("new_token_ids").EnumerateArray().Select(x => x.GetInt32()).ToArray();
        var result = new BatchSampler(model).Generate(new[] { new GenerationRequest(prompt, 0) },
            new SamplingOptions { Greedy = true, MaxNewTokens = want.Length })[0];
        Assert.Equal(want, result.TokenIds);
    }

    [Fact]
    public void Config_ListEosAndLlama3Scaling_AreRead()
    {
        var c = ModelConfig.Load(Path.Combine(Dir("tiny-llama"), "config.json"));
        Assert.Equal(new[] { 2, 3 }, c.EosTokenIds);
        Assert.Equal(1, c.NumKeyValueHeads);
        Assert.Equal(2048, c.RopeScaling!.OriginalMaxPositionEmbeddings);
        var q3 = ModelConfig.Load(Path.Combine(Dir("tiny-qwen3"), "config.json"));
        Assert.Equal(32, q3.HeadDim);
        Assert.True(q3.TieWordEmbeddings);
    }
}
