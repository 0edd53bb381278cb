using RlTrainer.Rollout.Model;
using RlTrainer.Rollout.Safetensors;
using static TorchSharp.torch;

namespace RlTrainer.Rollout.Tests.Model;

/// <summary>
/// A PEFT-layout adapter on the tiny-qwen2 fixture against PyTorch: Fixtures/lora was written by
/// tools/reference/lora_reference.py, which computes the LoRA forward and the gradients of A and B independently
/// (plain PyTorch, float64, checked there against the merged weights, the chain rule and finite differences).
/// </summary>
public class CausalLmLoraReferenceTests
{
    // Tolerances (fp32 here against float64 values in the file): the reference's own fp32 run differs from its
    // float64 run by 7.2e-6 in the logits (std ≈ 2) and 5.1e-6 in the gradients (relative to max |grad| of each
    // tensor, 1.6 … 15); our fp32 kernels sum in other orders (SDPA, fused matmuls), so expect the same order of
    // error and allow ~10x. The smallest simulated mistake (MLP adapters dropped) moves the logits by 2.6.
    private const double LogitTolerance = 1e-4;
    private const double GradTolerance = 1e-4;

    private static string Fixture(params string[] parts) =>
        Path.Combine([AppContext.BaseDirectory, "Fixtures", .. parts]);

    private static CausalLm LoadWithAdapter()
    {
        var model = HfModelFolder.Load(Fixture("models", "tiny-qwen2"), ComputeDevice.Cpu);
        PeftAdapterFolder.Load(model, Fixture("lora", "tiny-qwen2-r2"));
        model.eval();   // the adapter has lora_dropout 0.05: the reference is the eval-mode forward
        return model;
    }

    /// Σ log p(ids[b, t+1] | ..t) over pairs of real tokens, as the reference's loss.
    private static Tensor SequenceLogProb(Tensor logits, Tensor ids, Tensor mask)
    {
        long t = ids.shape[1];
        var logp = logits.narrow(1, 0, t - 1).log_softmax(-1);                      // (B, T−1, V)
        var picked = logp.gather(-1, ids.narrow(1, 1, t - 1).unsqueeze(-1)).squeeze(-1); // (B, T−1)
        var valid = mask.narrow(1, 0, t - 1).logical_and(mask.narrow(1, 1, t - 1));
        return picked.masked_select(valid).sum();
    }

    [Fact]
    public void LoadedAdapter_LogitsAndGradients_MatchPyTorch()
    {
        using var scope = NewDisposeScope();
        using var expected = SafetensorsFile.Open(Fixture("lora", "tiny-qwen2-r2.expected.safetensors"));
        using var model = LoadWithAdapter();
        var ids = expected.Read("input_ids");
        var mask = expected.Read("attention_mask").to(ScalarType.Bool);
        var positions = (mask.to(ScalarType.Int64).cumsum(1) - 1).clamp_min(0);
        var logits = model.Forward(ids, positions, mask);                              // (B, T, V)

        var valid = mask.unsqueeze(-1).expand_as(logits);
        double worst = (logits - expected.Read("logits")).abs().masked_select(valid).max().item<float>();
        Assert.True(worst < LogitTolerance, $"max |logit − PyTorch| = {worst:E2}");

        var loss = SequenceLogProb(logits, ids, mask);
        Assert.Equal(expected.Read("loss").item<float>(), loss.item<float>(), 1e-3);
        loss.backward();
        var parameters = model.LoraParameters();
        Assert.Equal(28, parameters.Count);                                            // 2 layers × 7 projections × (A, B)
        var (worstKey, worstGrad) = ("", 0.0);
        foreach (var (key, p) in parameters)
        {
            var want = expected.Read($"grad:{key}");
            Assert.NotNull(p.grad);
            double scale = Math.Max(1, want.abs().max().item<float>());
            double diff = (p.grad! - want).abs().max().item<float>() / scale;
            if (diff >= worstGrad) (worstKey, worstGrad) = (key, diff);
        }
        Assert.True(worstGrad < GradTolerance, $"{worstKey}: max |grad − PyTorch| / max(1, max |grad|) = {worstGrad:E2}");
    }

    [Fact]
    public void AddLora_DrawsA_AsTorchUniformDoesFromTheSeed()
    {
        // The reference draws U(−1/√in, 1/√in) (torch's kaiming_uniform_(a = √5), checked there) for every projection
        // in order from one torch.Generator(seed); libtorch's CPU uniform_ stream is the same in TorchSharp.
        using var scope = NewDisposeScope();
        using var expected = SafetensorsFile.Open(Fixture("lora", "tiny-qwen2-r2.expected.safetensors"));
        using var model = HfModelFolder.Load(Fixture("models", "tiny-qwen2"), ComputeDevice.Cpu);
        model.AddLora(new LoraConfig { Rank = 2, Alpha = 6, TargetModules = [LoraConfig.AllLinear] },
            int.Parse(expected.Metadata["init_seed"]));
        var byKey = model.LoraParameters().ToDictionary(p => p.PeftName, p => p.Parameter);
        var checkedKeys = expected.Entries.Keys.Where(k => k.StartsWith("init:", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, checkedKeys.Count);                                            // first and last projection
        foreach (var k in checkedKeys)
            Assert.True(byKey[k["init:".Length..]].eq(expected.Read(k)).all().item<bool>(), $"{k}: A differs from torch's draw");
        foreach (var (key, p) in byKey.Where(kv => kv.Key.EndsWith("lora_B.weight", StringComparison.Ordinal)))
            Assert.True(p.count_nonzero().item<long>() == 0, $"{key}: B must start at zero");
    }
}
