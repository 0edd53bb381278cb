using RlTrainer.Rollout.Model;
using RlTrainer.Rollout.Tokenization;
using RlTrainer.Trainer.Data;
using RlTrainer.Trainer.Hosting;
using RlTrainer.Trainer.Replay;
using RlTrainer.Trainer.Sft;
using RlTrainer.Trainer.Training;
using static TorchSharp.torch;
using RlTrainer.Trainer.Contracts;

namespace RlTrainer.Trainer.Tests.Replay;

public class ReplayMixerTests
{
    private static readonly string General = RepoPaths.Of("data", "general", "test.parquet");

    private static CausalLm TinyModel()
    {
        var config = new ModelConfig
        {
            ModelType = "qwen2", VocabSize = 512, HiddenSize = 32, IntermediateSize = 64, NumHiddenLayers = 2,
            NumAttentionHeads = 4, NumKeyValueHeads = 2, HeadDim = 8, QkvBias = true, TieWordEmbeddings = true,
        };
        var m = new CausalLm(config, ComputeDevice.Cpu);
        ModelInitializer.Randomize(m, 3, 0.05);
        return m;
    }

    private static RolloutBatch MainBatch()
    {
        RolloutSample S(int group, int tokens, double reward) => new()
        {
            Group = group, PromptIds = [1, 2, 3], CompletionIds = Enumerable.Range(10, tokens).ToArray(),
            BehaviourLogProbs = new float[tokens], Reward = reward, Components = [reward], Correct = reward > 0, DataSource = "arith",
        };
        var samples = new[] { S(0, 3, 1), S(0, 4, 0), S(1, 5, 0), S(1, 6, 1) };
        return new RolloutBatch { Samples = samples, GroupSize = 2, ComponentNames = ["accuracy"], SampledTokens = 18 };
    }

    private static ReplayOptions SftReplay(ReplayWeighting weighting) => new()
    {
        Sources = { new ReplaySourceOptions { Name = "general", Files = { General }, Weight = 3.0, Seed = 4 } },
        Ratio = 0.5,
        Weighting = weighting,
        MainWeight = 1.0,
    };

    [Fact]
    public void SftReplay_GradientIsWeightedTokenMeanNll_AndMainSamplesGetLambdaOverK()
    {
        var encoder = new PromptEncoder(HfTokenizer.Load(RepoPaths.Of("data", "models", "tiny-math")));
        using var policy = TinyModel();
        var training = new TrainingOptions { OutputDir = "unused", MicroBatchSize = 1 }; // one SFT item per micro-batch
        var mixer = ReplayMixer.Create(SftReplay(ReplayWeighting.Static), mainPromptsPerStep: 2, encoder, policy, training)!;
        Assert.Equal(ReplayKind.Sft, mixer.Sources[0].Kind);  // every general row has a target: Auto → SFT
        Assert.Equal(2, mixer.ItemsPerSource);                  // round(2 · 0.5 / (0.5 · 1))

        var step = mixer.Extend(0, MainBatch(), null!, CancellationToken.None);
        var scales = step.BeginPass(0);
        var actual = policy.parameters().Select(p => p.grad!.detach().clone()).ToList();
        Assert.Equal(new[] { 1.0, 3.0 }, step.Lambda);
        Assert.All(scales, s => Assert.Equal(0.5, s, 12));    // λ_main / K with all RL tokens from main

        // Reference: the same two rows (seed-4 epoch-0 order), one batch, plain SftLoss, then (λ/K)·∇.
        foreach (var p in policy.parameters()) p.grad?.zero_();
        var rows = new ParquetExampleReader(new DataOptions { Files = { General } }).ReadExamples().ToList();
        var items = new EpochSampler(rows, 4).Next(2).Select(e => ReplaySource.ToSft(e, encoder)).ToList();
        var (loss, _) = SftLoss.Compute(policy, items);
        loss.backward();
        Assert.Equal(loss.item<float>(), step.TrackedValues[1], 5);
        var expected = policy.parameters().Select(p => p.grad!.detach() * 1.5).ToList();
        for (int i = 0; i < expected.Count; i++)
            Assert.True(allclose(actual[i], expected[i], rtol: 1e-4, atol: 1e-7), $"parameter {i} gradient differs");
        Assert.Equal(0.5, step.TrackedValues[0], 12);          // mean main reward
    }

    [Fact]
    public void Recap_WarmsUpThenWeighs_SavedCursorsAndWindowsRoundTrip()
    {
        var encoder = new PromptEncoder(HfTokenizer.Load(RepoPaths.Of("data", "models", "tiny-math")));
        using var policy = TinyModel();
        var training = new TrainingOptions { OutputDir = "unused", MicroBatchSize = 8 };
        var options = SftReplay(ReplayWeighting.Recap);
        options.Recap.Window = 1;                              // 2W = 2: weights move from the second step
        var mixer = ReplayMixer.Create(options, 2, encoder, policy, training)!;
        var first = mixer.Extend(0, MainBatch(), null!, CancellationToken.None);
        first.BeginPass(0);
        Assert.Equal(new[] { 1.0, 1.0 }, first.Lambda);
        var saved = mixer.SaveState()!.ToJsonString();
        var second = mixer.Extend(1, MainBatch(), null!, CancellationToken.None);
        second.BeginPass(0);
        Assert.Equal(2.0, second.Lambda!.Sum(), 12);
        Assert.NotEqual(1.0, second.Lambda![1]);

        var resumed = ReplayMixer.Create(options, 2, encoder, policy, training)!;
        resumed.LoadState(System.Text.Json.Nodes.JsonNode.Parse(saved));
        Assert.Equal(mixer.Sources[0].Sampler.Cursor with { Position = 2 }, resumed.Sources[0].Sampler.Cursor);
        var again = resumed.Extend(1, MainBatch(), null!, CancellationToken.None);
        again.BeginPass(0);
        Assert.Equal(second.Lambda, again.Lambda);
    }
}
