using RlTrainer.Rollout.Model;
using RlTrainer.Rollout.Sampling;
using static TorchSharp.torch;

namespace RlTrainer.Rollout.Tests.Model;

/// <summary>LoRA on CausalLm: initialisation, switching adapters off, freezing, merging, checkpointing.</summary>
public class CausalLmLoraTests
{
    private static readonly LoraConfig AllLinear = new() { Rank = 4, Alpha = 8, TargetModules = [LoraConfig.AllLinear] };

    private static Tensor Logits(CausalLm m) => TinyModels.PromptLogits(m);

    private static double MaxDiff(Tensor a, Tensor b) => (a - b).abs().max().item<float>();

    private static int[] Greedy(CausalLm m) =>
        new BatchSampler(m).Generate(new[] { new GenerationRequest(new[] { 3, 14, 15, 92 }, 0) },
            new SamplingOptions { Greedy = true, MaxNewTokens = 12 })[0].TokenIds.ToArray();

    [Theory]
    [InlineData("qwen2")]
    [InlineData("qwen3")]
    public void AddLora_BZero_LogitsAreExactlyTheBaseModels(string type)
    {
        using var scope = NewDisposeScope();
        using var base_ = TinyModels.Random(type, seed: 3);
        using var m = TinyModels.Random(type, seed: 3);
        m.AddLora(AllLinear, seed: 1);
        Assert.Equal(2 * 7 * 2, m.LoraParameters().Count);
        Assert.True(Logits(m).eq(Logits(base_)).all().item<bool>());
        Assert.Contains(m.LoraParameters(), p => p.Parameter.abs().max().item<float>() > 0);  // A is not zero
    }

    [Fact]
    public void AdaptersDisabled_GivesTheBaseModel_InForwardAndKvCachedGreedyDecoding()
    {
        using var scope = NewDisposeScope();
        using var base_ = TinyModels.Random(seed: 4);
        using var m = TinyModels.RandomWithAdapter(AllLinear, seed: 4);
        var baseGreedy = Greedy(base_);
        Assert.True(MaxDiff(Logits(m), Logits(base_)) > 0.1, "the adapter must change the logits");
        Assert.NotEqual(baseGreedy, Greedy(m));
        using (m.AdaptersDisabled())
        {
            Assert.True(Logits(m).eq(Logits(base_)).all().item<bool>());
            using (m.AdaptersDisabled()) Assert.True(Logits(m).eq(Logits(base_)).all().item<bool>());   // nested
            Assert.Equal(baseGreedy, Greedy(m));                                          // prefill + cached decode
        }
        Assert.True(MaxDiff(Logits(m), Logits(base_)) > 0.1, "adapters return when the last scope closes");
    }

    [Fact]
    public void AddLora_FreezesTheBase_OnlyAdaptersGetGradients()
    {
        using var scope = NewDisposeScope();
        using var m = TinyModels.RandomWithAdapter(AllLinear, seed: 5);
        var adapters = m.LoraParameters().Select(p => p.Parameter.Handle).ToHashSet();
        Assert.True(adapters.SetEquals(m.parameters().Where(p => p.requires_grad).Select(p => p.Handle)));
        Logits(m).pow(2).mean().backward();
        Assert.All(m.BaseParameters(), p => Assert.Null(p.Parameter.grad));
        Assert.All(m.LoraParameters(), p => Assert.True(p.Parameter.grad!.abs().max().item<float>() > 0, p.PeftName));
    }

    [Fact]
    public void GradientCheckpointing_GivesTheSameAdapterGradients_WithDropout()
    {
        // Checkpointing runs each layer again in backward; the layer pass must repeat the dropout masks exactly.
        using var scope = NewDisposeScope();
        var lora = AllLinear with { Dropout = 0.3 };
        var grads = new List<Tensor[]>();
        foreach (bool checkpoint in new[] { false, true })
        {
            using var m = TinyModels.RandomWithAdapter(lora, seed: 6);
            m.train();
            m.GradientCheckpointing = checkpoint;
            Logits(m).pow(2).mean().backward();
            grads.Add(m.LoraParameters().Select(p => p.Parameter.grad!.clone()).ToArray());
        }
        for (int i = 0; i < grads[0].Length; i++)
            Assert.True(MaxDiff(grads[0][i], grads[1][i]) < 1e-5, $"tensor {i}: {MaxDiff(grads[0][i], grads[1][i]):E2}");
    }

    [Fact]
    public void Dropout_OnlyInTrainMode()
    {
        using var scope = NewDisposeScope();
        using var m = TinyModels.RandomWithAdapter(AllLinear with { Dropout = 0.5 }, seed: 7);
        var eval = Logits(m);
        Assert.True(Logits(m).eq(eval).all().item<bool>());
        m.train();
        Assert.True(MaxDiff(Logits(m), eval) > 1e-3, "train mode must drop adapter inputs");
    }

    [Fact]
    public void GradientCheckpointing_RecomputesWithTheAdaptersStateOfTheForward()
    {
        // Forward with adapters off, backward after the scope closed: the recomputed layers must stay adapter-free,
        // so no gradient reaches A or B.
        using var scope = NewDisposeScope();
        using var m = TinyModels.RandomWithAdapter(AllLinear, seed: 8);
        m.GradientCheckpointing = true;
        Tensor loss;
        using (m.AdaptersDisabled()) loss = Logits(m).pow(2).mean();
        loss.backward();
        Assert.All(m.LoraParameters(), p => Assert.True(p.Parameter.grad is null || p.Parameter.grad.count_nonzero().item<long>() == 0, p.PeftName));
    }

    [Fact]
    public void MergeLora_MatchesTheAdapterForward_AndRemovesTheAdapters()
    {
        using var scope = NewDisposeScope();
        using var m = TinyModels.RandomWithAdapter(AllLinear, seed: 9);
        var withAdapter = Logits(m);
        m.MergeLora();
        Assert.Null(m.Lora);
        Assert.Empty(m.LoraParameters());
        Assert.DoesNotContain(m.named_parameters(), p => p.name.Contains("lora_"));
        Assert.All(m.parameters(), p => Assert.True(p.requires_grad));
        double diff = MaxDiff(Logits(m), withAdapter);
        Assert.True(diff < 1e-5, $"merged vs adapter forward: {diff:E2}");
        using var base_ = TinyModels.Random(seed: 9);
        Assert.True(MaxDiff(Logits(base_), withAdapter) > 0.1, "the merge must have changed the weights");
    }

    [Fact]
    public void BFloat16Base_KeepsFloat32Adapters_AndTheirGradients()
    {
        // The cuda setting computes in bf16: A and B stay float32 (PEFT's autocast_adapter_dtype), the delta is cast
        // back to the base dtype, and the merge folds it into the bf16 weights.
        using var scope = NewDisposeScope();
        using var m = new CausalLm(TinyModels.Config(), ComputeDevice.Cpu.WithDType(ScalarType.BFloat16));
        ModelInitializer.Randomize(m, 12, 0.3);
        m.AddLora(AllLinear, seed: 1);
        // Its own generator: torch's global one is shared with test classes running in parallel, and the bf16 rounding
        // error below depends on the draw.
        using (no_grad())
        using (var gen = new Generator(21))
            foreach (var (name, p) in m.LoraParameters().Where(p => p.PeftName.EndsWith("lora_B.weight")))
                p.normal_(0, 0.3, generator: gen);
        Assert.All(m.LoraParameters(), p => Assert.Equal(ScalarType.Float32, p.Parameter.dtype));
        var logits = Logits(m);
        Assert.Equal(ScalarType.BFloat16, logits.dtype);
        logits.to(ScalarType.Float32).pow(2).mean().backward();
        Assert.All(m.LoraParameters(), p => Assert.Equal(ScalarType.Float32, p.Parameter.grad!.dtype));
        var withAdapter = logits.detach().to(ScalarType.Float32);
        m.MergeLora();
        Assert.Equal(ScalarType.BFloat16, m.parameters().First().dtype);
        var merged = Logits(m).to(ScalarType.Float32);
        double scale = withAdapter.abs().max().item<float>();
        Assert.True(MaxDiff(merged, withAdapter) < 0.05 * scale, $"bf16 merged vs adapter: {MaxDiff(merged, withAdapter)} (scale {scale})");
    }

    [Fact]
    public void Misuse_Throws()
    {
        using var m = TinyModels.Random(seed: 10);
        Assert.Throws<InvalidOperationException>(() => m.AdaptersDisabled());
        Assert.Throws<InvalidOperationException>(() => m.MergeLora());
        m.AddLora(AllLinear, seed: 1);
        var again = Assert.Throws<InvalidOperationException>(() => m.AddLora(AllLinear, seed: 2));
        Assert.Contains("already attached", again.Message);
        using (m.AdaptersDisabled())
            Assert.Throws<InvalidOperationException>(() => m.MergeLora());
        var bad = Assert.Throws<ArgumentException>(() => TinyModels.Random().AddLora(new LoraConfig { Rank = 0 }, 0));
        Assert.Contains("rank", bad.Message);
    }

    [Fact]
    public void LoraParameters_FollowPeftKeysAndShapes()
    {
        // TinyModels: hidden 32, 4 heads × hd 8 (q out 32), 2 kv heads (k/v out 16), intermediate 64, r = 4.
        using var m = TinyModels.Random(seed: 11);
        m.AddLora(new LoraConfig { Rank = 4, TargetModules = ["v_proj", "down_proj"] }, seed: 1);
        var got = m.LoraParameters().Select(p => (p.PeftName, string.Join("x", p.Parameter.shape))).ToArray();
        Assert.Equal(new[]
        {
            ("base_model.model.model.layers.0.self_attn.v_proj.lora_A.weight", "4x32"),
            ("base_model.model.model.layers.0.self_attn.v_proj.lora_B.weight", "16x4"),
            ("base_model.model.model.layers.0.mlp.down_proj.lora_A.weight", "4x64"),
            ("base_model.model.model.layers.0.mlp.down_proj.lora_B.weight", "32x4"),
            ("base_model.model.model.layers.1.self_attn.v_proj.lora_A.weight", "4x32"),
            ("base_model.model.model.layers.1.self_attn.v_proj.lora_B.weight", "16x4"),
            ("base_model.model.model.layers.1.mlp.down_proj.lora_A.weight", "4x64"),
            ("base_model.model.model.layers.1.mlp.down_proj.lora_B.weight", "32x4"),
        }, got);
        // named_parameters() carries the same names without PEFT's prefix; BaseParameters() none of them.
        var named = m.named_parameters().Select(p => p.name).ToHashSet();
        Assert.All(got, g => Assert.Contains(g.PeftName[CausalLm.PeftKeyPrefix.Length..], named));
        Assert.DoesNotContain(m.BaseParameters(), p => p.Name.Contains("lora_"));
        Assert.Equal(named.Count - got.Length, m.BaseParameters().Count());
    }
}
