using Microsoft.Extensions.Logging.Abstractions;
using RlTrainer.Rollout.Model;
using RlTrainer.Rollout.Sampling;
using RlTrainer.Trainer.Optimization;
using RlTrainer.Trainer.Sft;
using static TorchSharp.torch;

namespace RlTrainer.Trainer.Tests.Sft;

public class SftLossTests
{
    private static CausalLm TinyModel(int seed)
    {
        var config = new ModelConfig
        {
            ModelType = "qwen2", VocabSize = 24, HiddenSize = 32, IntermediateSize = 64, NumHiddenLayers = 2,
            NumAttentionHeads = 4, NumKeyValueHeads = 2, HeadDim = 8, QkvBias = true,
        };
        var m = new CausalLm(config, ComputeDevice.Cpu);
        ModelInitializer.Randomize(m, seed, 0.1);
        return m;
    }

    [Fact]
    public void Collate_LossMaskCoversExactlyTheTargetTokens()
    {
        var batch = new[] { new SftExample(new[] { 5, 6, 7 }, new[] { 8, 9 }), new SftExample(new[] { 4 }, new[] { 3 }) };
        var (ids, mask, lossMask) = SftLoss.Collate(batch, CPU);
        Assert.Equal(new long[] { 5, 6, 7, 8, 9, 4, 3, 0, 0, 0 }, ids.data<long>().ToArray());
        Assert.Equal(new[] { true, true, true, true, true, true, true, false, false, false }, mask.data<bool>().ToArray());
        // row 0: positions 2 (predicts 8) and 3 (predicts 9); row 1: position 0 (predicts 3)
        Assert.Equal(new float[] { 0, 0, 1, 1, 1, 0, 0, 0 }, lossMask.data<float>().ToArray());
    }

    [Fact]
    public void Loss_EqualsMeanNllOfTargetTokens_ComputedByHand()
    {
        using var model = TinyModel(1);
        var batch = new[] { new SftExample(new[] { 5, 6, 7 }, new[] { 8, 9 }), new SftExample(new[] { 4 }, new[] { 3 }) };
        var (loss, tokens) = SftLoss.Compute(model, batch);
        Assert.Equal(3, tokens);
        // independent: each row alone, full log_softmax, pick the three target predictions
        double Nll(long[] seq, int pos)
        {
            using var ids = tensor(seq).unsqueeze(0);
            using var logits = model.Forward(ids, arange(seq.Length).unsqueeze(0), ones(1, seq.Length, ScalarType.Bool));
            using var logp = logits[0, pos].log_softmax(-1);
            return -logp[seq[pos + 1]].item<float>();
        }
        double expected = (Nll(new long[] { 5, 6, 7, 8, 9 }, 2) + Nll(new long[] { 5, 6, 7, 8, 9 }, 3) + Nll(new long[] { 4, 3 }, 0)) / 3;
        Assert.Equal(expected, loss.item<float>(), 1e-5);
    }

    [Fact]
    public void Collate_InjectedTargetTokens_HaveLossMaskZero()
    {
        // row 0: target [8, 9, 10, 11] with 9, 10 injected (a tool response); row 1 untouched
        var batch = new[]
        {
            new SftExample(new[] { 5, 6 }, new[] { 8, 9, 10, 11 }, new[] { true, false, false, true }),
            new SftExample(new[] { 4 }, new[] { 3 }),
        };
        var (_, _, lossMask) = SftLoss.Collate(batch, CPU);
        // (B, T−1) = (2, 5): row 0 positions 1..4 predict 8, 9, 10, 11; row 1 position 0 predicts 3
        Assert.Equal(new float[] { 0, 1, 0, 0, 1, 1, 0, 0, 0, 0 }, lossMask.data<float>().ToArray());
        Assert.Equal(2, batch[0].TrainedTokens);
        Assert.Throws<ArgumentException>(() => new SftExample(new[] { 1 }, new[] { 2, 3 }, new[] { true }));
    }

    /// <summary>
    /// The loss over a target with an injected span is the mean NLL of the trained tokens alone, computed by hand: it
    /// would change if the injected tokens were trained (checked against the all-trained loss of the same sequence).
    /// </summary>
    [Fact]
    public void Loss_LeavesInjectedTokensOut_ComputedByHand()
    {
        using var model = TinyModel(3);
        long[] seq = [5, 6, 8, 9, 10, 11];
        var masked = new[] { new SftExample(new[] { 5, 6 }, new[] { 8, 9, 10, 11 }, new[] { true, false, false, true }) };
        var (loss, tokens) = SftLoss.Compute(model, masked);
        var (all, allTokens) = SftLoss.Compute(model, new[] { new SftExample(new[] { 5, 6 }, new[] { 8, 9, 10, 11 }) });

        using var ids = tensor(seq).unsqueeze(0);
        using var logits = model.Forward(ids, arange(seq.Length).unsqueeze(0), ones(1, seq.Length, ScalarType.Bool));
        using var logp = logits[0].log_softmax(-1);                                   // (T, V)
        double Nll(int pos) => -logp[pos, seq[pos + 1]].item<float>();
        Assert.Equal(2, tokens);
        Assert.Equal(4, allTokens);
        Assert.Equal((Nll(1) + Nll(4)) / 2, loss.item<float>(), 1e-5);
        Assert.Equal((Nll(1) + Nll(2) + Nll(3) + Nll(4)) / 4, all.item<float>(), 1e-5);
        Assert.True(Math.Abs(loss.item<float>() - all.item<float>()) > 1e-3);
    }

    [Fact]
    public void Train_LearnsAMapping_PromptTokenToSuccessor()
    {
        // prompt [x], target [x+1, eos]: a task a 2-layer model learns in a few hundred steps
        using var model = TinyModel(2);
        const int eos = 23;
        var data = Enumerable.Range(0, 20).Select(x => new SftExample(new[] { x }, new[] { x + 1, eos })).ToList();
        var trainer = new SftTrainer(model, new SftOptions { BatchSize = 20, Steps = 150, LogEvery = 50 },
            new OptimizerOptions { LearningRate = 3e-3, Schedule = LrScheduleKind.Cosine, WarmupSteps = 10 }, NullLogger.Instance);
        var log = trainer.Train(data);
        Assert.True(log[^1].Loss < 0.1 * log[0].Loss, $"loss {log[0].Loss} → {log[^1].Loss}");
        var sampler = new BatchSampler(model);
        var results = sampler.Generate(Enumerable.Range(0, 20).Select(x => new GenerationRequest(new[] { x }, x)).ToArray(),
            new SamplingOptions { Greedy = true, MaxNewTokens = 3, EosTokenIds = new HashSet<int> { eos } });
        int correct = results.Select((r, x) => r.TokenIds.SequenceEqual(new[] { x + 1, eos }) ? 1 : 0).Sum();
        Assert.True(correct >= 18, $"{correct}/20 correct");
    }
}
