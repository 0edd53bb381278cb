using RlTrainer.Rollout.Model;

namespace RlTrainer.Rollout.Tests;

/// Small random models for behaviour tests (numerics against PyTorch use the committed fixtures instead).
internal static class TinyModels
{
    public static ModelConfig Config(string type = "qwen2", int vocab = 97, bool tie = false) => new()
    {
        ModelType = type,
        VocabSize = vocab,
        HiddenSize = 32,
        IntermediateSize = 64,
        NumHiddenLayers = 2,
        NumAttentionHeads = 4,
        NumKeyValueHeads = 2,
        HeadDim = 8,
        RopeTheta = 10000,
        TieWordEmbeddings = tie,
        QkvBias = type == "qwen2",
        QkNorm = type == "qwen3",
        EosTokenIds = new List<int> { 1 },
    };

    /// std 0.3 makes the logits spread widely, so greedy paths are not decided by float noise.
    public static CausalLm Random(string type = "qwen2", int seed = 0, double std = 0.3, int vocab = 97)
    {
        var m = new CausalLm(Config(type, vocab), ComputeDevice.Cpu);
        ModelInitializer.Randomize(m, seed, std);
        m.eval();
        return m;
    }
}
