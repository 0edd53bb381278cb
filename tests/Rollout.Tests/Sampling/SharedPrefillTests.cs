using RlTrainer.Rollout.Sampling;

namespace RlTrainer.Rollout.Tests.Sampling;

/// <summary>The G completions of a prompt share one prefill: same tokens and log-probs as prefilling every row.</summary>
public class SharedPrefillTests
{
    private static readonly int[][] Prompts = { new[] { 5, 17, 33, 2, 8, 40, 41 }, new[] { 9, 3 }, new[] { 60, 61, 62, 63, 64 } };

    /// G = 4 rows per prompt, interleaved as a rollout batch is not (groups need not be contiguous), each its own seed.
    private static GenerationRequest[] Groups(int g) =>
        Enumerable.Range(0, Prompts.Length * g).Select(i => new GenerationRequest(Prompts[i % Prompts.Length], 500 + i)).ToArray();

    [Theory]
    [InlineData("qwen2", true)]
    [InlineData("qwen3", true)]
    [InlineData("llama", false)]
    public void SharedPrefill_SamplesWhatPerRowPrefillSamples(string type, bool cache)
    {
        using var model = TinyModels.Random(type, seed: 8);
        var sampler = new BatchSampler(model);
        var options = new SamplingOptions { MaxNewTokens = 10, Temperature = 0.9, TopP = 0.95, UseKvCache = cache, EosTokenIds = new HashSet<int> { 1 } };
        var requests = Groups(4);
        var shared = sampler.Generate(requests, options);
        Assert.Equal(3, sampler.LastStats!.PrefillRows);
        var perRow = sampler.Generate(requests, options with { SharePromptPrefill = false });
        Assert.Equal(12, sampler.LastStats!.PrefillRows);
        for (int i = 0; i < requests.Length; i++)
        {
            Assert.Equal(perRow[i].TokenIds, shared[i].TokenIds);
            Assert.Equal(perRow[i].FinishReason, shared[i].FinishReason);
            for (int t = 0; t < perRow[i].LogProbs.Count; t++) Assert.Equal(perRow[i].LogProbs[t], shared[i].LogProbs[t], 1e-5); // batch size changes float rounding only
        }
        Assert.True(shared.Select(r => string.Join(",", r.TokenIds)).Distinct().Count() > 3, "rows of a group should differ");
    }
}
