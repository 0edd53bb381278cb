using TorchSharp;
using static TorchSharp.torch;

namespace RlTrainer.Rollout.Model;

/// <summary>
/// Random initialisation as transformers' _init_weights does it for these models: every Linear and Embedding weight
/// ~ N(0, initializer_range²), biases 0, RMSNorm weights 1. Seeded, so a seed gives the same model on every machine.
/// Attached LoRA adapters keep their own initialisation.
/// </summary>
public static class ModelInitializer
{
    public static void Randomize(CausalLm model, int seed, double std = 0.02)
    {
        using var noGrad = no_grad();
        var gen = new Generator((ulong)seed);
        foreach (var (name, p) in model.BaseParameters())
        {
            using var scope = NewDisposeScope();
            if (name.EndsWith("norm.weight", StringComparison.Ordinal)) p.fill_(1.0);
            else if (name.EndsWith(".bias", StringComparison.Ordinal)) p.zero_();
            else p.copy_(randn(p.shape, ScalarType.Float32, generator: gen).mul_(std));
        }
    }
}
