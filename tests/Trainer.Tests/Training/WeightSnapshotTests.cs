using RlTrainer.Rollout.Model;
using RlTrainer.Trainer.Training;
using static TorchSharp.torch;

namespace RlTrainer.Trainer.Tests.Training;

public sealed class WeightSnapshotTests
{
    private static CausalLm Model(int seed)
    {
        var m = new CausalLm(new ModelConfig
        {
            ModelType = "qwen2", VocabSize = 16, HiddenSize = 8, IntermediateSize = 16, NumHiddenLayers = 1,
            NumAttentionHeads = 2, NumKeyValueHeads = 1, HeadDim = 4, EosTokenIds = new List<int> { 15 },
        }, ComputeDevice.Cpu);
        ModelInitializer.Randomize(m, seed, 0.1);
        return m;
    }

    private static bool SameWeights(CausalLm a, CausalLm b) =>
        a.named_parameters().Zip(b.named_parameters()).All(p => p.First.parameter.allclose(p.Second.parameter, rtol: 0, atol: 0));

    [Fact]
    public void APublishedVersion_ReachesTheProducerModel_OnceAndExactly()
    {
        using var learner = Model(1);
        using var producer = Model(2);
        using var snapshot = new WeightSnapshot(learner, version: 0);
        Assert.Equal(0, snapshot.CopyInto(producer, modelVersion: -1));
        Assert.True(SameWeights(learner, producer));

        using (no_grad()) foreach (var p in learner.parameters()) p.add_(1.0f);   // an "update"
        Assert.Equal(0, snapshot.CopyInto(producer, modelVersion: 0));                      // nothing new published
        Assert.False(SameWeights(learner, producer));
        snapshot.Publish(learner, version: 1);
        Assert.Equal(1, snapshot.CopyInto(producer, modelVersion: 0));
        Assert.True(SameWeights(learner, producer));
    }
}
