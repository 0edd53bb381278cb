using RlTrainer.Rollout.Model;
using static TorchSharp.torch;

namespace RlTrainer.Rollout.Tests.Model;

public class ActivationCheckpointTests
{
    [Fact]
    public void Run_GradientsMatchTheAnalyticDerivative()
    {
        // f(x, y) = sin(x·y) with y constant: ∂f/∂x = cos(x·y)·y; y gets no gradient.
        using var scope = NewDisposeScope();
        var x = tensor(new[] { 0.3f, -1.2f, 2.0f }).requires_grad_(true);
        var y = tensor(new[] { 1.5f, 0.5f, -0.25f });
        var f = ActivationCheckpoint.Run(v => (v[0] * v[1]).sin(), x, y);
        Assert.True(f.requires_grad);
        f.sum().backward();
        var want = new[] { Math.Cos(0.45) * 1.5, Math.Cos(-0.6) * 0.5, Math.Cos(-0.5) * -0.25 };
        var got = x.grad!.data<float>().ToArray();
        for (int i = 0; i < 3; i++) Assert.Equal(want[i], got[i], 1e-6);
    }

    [Theory]
    [InlineData("qwen2")]
    [InlineData("qwen3")]
    [InlineData("llama")]
    public void CheckpointedLayers_GiveThePlainGradients(string type)
    {
        using var model = TinyModels.Random(type, seed: 6, std: 0.1);
        var rng = new Random(1);
        using var ids = tensor(Enumerable.Range(0, 2 * 11).Select(_ => (long)rng.Next(97)).ToArray(), new long[] { 2, 11 });
        using var mask = ones(new long[] { 2, 11 }, ScalarType.Bool);
        mask[1, 0] = tensor(false);

        Dictionary<string, float[]> Grads(bool checkpoint, out float loss)
        {
            using var scope = NewDisposeScope();
            model.GradientCheckpointing = checkpoint;
            model.zero_grad();
            var (logp, ent) = TokenLogProbs.ComputeWithEntropy(model, ids, mask, 1.0, withEntropy: true, entropyWithGrad: true);
            var l = -(logp.sum()) + 0.1 * ent!.sum();
            l.backward();
            loss = l.item<float>();
            return model.named_parameters().ToDictionary(p => p.name, p => p.parameter.grad!.data<float>().ToArray());
        }
        var plain = Grads(false, out var plainLoss);
        var checkpointed = Grads(true, out var checkpointedLoss);
        model.GradientCheckpointing = false;
        Assert.Equal(plainLoss, checkpointedLoss, 1e-5);
        foreach (var (name, g) in plain)
        {
            double worst = g.Zip(checkpointed[name], (a, b) => Math.Abs((double)a - b)).Max();
            Assert.True(worst < 1e-5, $"{type} {name}: max |checkpointed − plain| = {worst:E2}");
        }
        Assert.Contains(plain.Values, g => g.Any(v => v != 0));
    }

    [Fact]
    public void UnderNoGrad_CheckpointingChangesNothing()
    {
        using var model = TinyModels.Random("qwen2", seed: 7);
        using var ids = tensor(new long[] { 3, 14, 15, 92, 65 }, new long[] { 1, 5 });
        using var mask = ones(new long[] { 1, 5 }, ScalarType.Bool);
        using var noGrad = no_grad();
        using var plain = TokenLogProbs.Compute(model, ids, mask);
        model.GradientCheckpointing = true;
        using var checkpointed = TokenLogProbs.Compute(model, ids, mask);
        Assert.Equal(plain.data<float>().ToArray(), checkpointed.data<float>().ToArray());
    }
}
