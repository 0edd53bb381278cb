using RlTrainer.Rollout.Sampling;

namespace RlTrainer.Rollout.Tests.Sampling;

public class BatchSamplerHookTests
{
    private static readonly GenerationRequest[] Requests =
    [
        new([5, 17, 33, 2], 1), new([9, 3], 2), new([60, 61, 62], 3),
    ];

    /// Scripted hook: at a given step, sends one action per row.
    private sealed class ScriptedHook(int atStep, Action<DecodeActions> act) : IDecodeHook
    {
        public List<DecodedToken> Seen { get; } = new();
        public void Begin(IReadOnlyList<GenerationRequest> requests, SamplingOptions options) { }
        public void OnStep(int step, IReadOnlyList<DecodedToken> tokens, DecodeActions actions)
        {
            Seen.AddRange(tokens);
            if (step == atStep) act(actions);
        }
    }

    private static readonly SamplingOptions Greedy = new() { Greedy = true, MaxNewTokens = 12 };

    [Fact]
    public void Conclude_InjectsTokensWithLossMaskZero_ThenSamplesTheExtraBudget()
    {
        using var model = TinyModels.Random("qwen2", seed: 4);
        var sampler = new BatchSampler(model);
        var plain = sampler.Generate(Requests, Greedy);
        var hook = new ScriptedHook(atStep: 2, a => a.Conclude(1, [40, 41, 42], extraBudget: 2, StopReason.Overthink));
        var pruned = sampler.Generate(Requests, Greedy, hook: hook);

        var row = pruned[1];
        Assert.Equal(plain[1].TokenIds.Take(3), row.TokenIds.Take(3));              // steps 0..2 as without the hook
        Assert.Equal(new[] { 40, 41, 42 }, row.TokenIds.Skip(3).Take(3));          // the injection, in order
        Assert.Equal(8, row.TokenIds.Count);                                        // 3 + 3 injected + 2 extra
        Assert.Equal(new[] { true, true, true, false, false, false, true, true }, row.Sampled);
        Assert.Equal(3, row.InjectedTokens);
        Assert.Equal(StopReason.Overthink, row.StopReason);
        Assert.Equal(FinishReason.Length, row.FinishReason);
        Assert.True(hook.Seen.Where(t => t.Row == 1).Skip(3).Take(3).All(t => t.Injected));
        // Other rows are untouched.
        Assert.Equal(plain[0].TokenIds, pruned[0].TokenIds);
        Assert.Null(pruned[0].Sampled);

        var stats = sampler.LastStats!;
        Assert.Equal(3, stats.InjectedTokens);
        Assert.Equal(12 + 12 + 5, stats.SampledTokens);
        Assert.Equal(12, stats.DecodeSteps);
        Assert.Equal(3 * 8 + 2 * 4, stats.SlotSteps);                              // row 1 leaves after its 8th token
        Assert.Equal(1, stats.Compactions);
    }

    [Fact]
    public void InjectedTokens_AreTeacherForcedThroughTheCache()
    {
        // After the injection the row continues exactly as a fresh prompt ending in the injected tokens would.
        using var model = TinyModels.Random("qwen2", seed: 5);
        var sampler = new BatchSampler(model);
        var hook = new ScriptedHook(atStep: 1, a => a.Conclude(0, [40, 41], extraBudget: 3, StopReason.Underthink));
        var pruned = sampler.Generate(Requests, Greedy, hook: hook)[0];
        var prefix = Requests[0].PromptIds.Concat(pruned.TokenIds.Take(4)).ToArray();
        var fresh = sampler.Generate([new GenerationRequest(prefix, 0)], Greedy with { MaxNewTokens = 3 })[0];
        Assert.Equal(fresh.TokenIds, pruned.TokenIds.Skip(4));
    }

    [Fact]
    public void Stop_EndsTheRowAndCompacts_AndAbortGroupStopsEveryListedRow()
    {
        using var model = TinyModels.Random("qwen2", seed: 6);
        var sampler = new BatchSampler(model);
        var stop = sampler.Generate(Requests, Greedy, hook: new ScriptedHook(0, a => a.Stop(2, StopReason.Repeat)));
        Assert.Single(stop[2].TokenIds);
        Assert.Equal(StopReason.Repeat, stop[2].StopReason);
        Assert.Equal(12 + 12 + 1, sampler.LastStats!.SlotSteps);

        var abort = sampler.Generate(Requests, Greedy, hook: new ScriptedHook(4, a => a.AbortGroup([0, 1])));
        Assert.All(abort.Take(2), r => Assert.Equal(StopReason.GroupAbort, r.StopReason));
        Assert.All(abort.Take(2), r => Assert.Equal(5, r.TokenIds.Count));
        Assert.Equal(StopReason.MaxLength, abort[2].StopReason);
    }

    [Fact]
    public void AConclusionWithoutRoom_StopsTheRow()
    {
        using var model = TinyModels.Random("qwen2", seed: 7);
        var sampler = new BatchSampler(model);
        var r = sampler.Generate(Requests, Greedy, hook: new ScriptedHook(9, a => a.Conclude(0, [1, 2, 3], 5, StopReason.Repeat)))[0];
        Assert.Equal(10, r.TokenIds.Count);
        Assert.Null(r.Sampled);
        Assert.Equal(StopReason.Repeat, r.StopReason);
    }
}
