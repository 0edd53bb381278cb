using RlTrainer.Rollout.Model;
using static TorchSharp.torch;

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

    /// <summary><see cref="Random"/> plus an adapter whose B is random (std <paramref name="bStd"/>), so the adapter
    /// visibly changes every output; A keeps PEFT's initialisation from <paramref name="seed"/>.</summary>
    public static CausalLm RandomWithAdapter(LoraConfig lora, string type = "qwen2", int seed = 0, double bStd = 0.3)
    {
        var m = Random(type, seed);
        m.AddLora(lora, seed);
        using var noGrad = no_grad();
        var gen = new Generator((ulong)seed + 17);
        foreach (var (name, p) in m.LoraParameters())
            if (name.EndsWith(".lora_B.weight", StringComparison.Ordinal))
                p.copy_(randn(p.shape, ScalarType.Float32, generator: gen).mul_(bStd));
        return m;
    }

    /// Logits (1, 6, V) of a fixed all-real prompt at positions 0..5.
    public static Tensor PromptLogits(CausalLm m)
    {
        using var ids = tensor(new long[] { 3, 14, 15, 92, 65, 35 }).unsqueeze(0);
        using var mask = ones(1, 6, ScalarType.Bool);
        using var positions = arange(6L).unsqueeze(0);
        return m.Forward(ids, positions, mask);
    }
}
