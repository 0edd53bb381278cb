using RlTrainer.Rollout.Model;
using static TorchSharp.torch;

namespace RlTrainer.Rollout.Tests.Model;

/// <summary>
/// The chunked lm_head path (<see cref="LmHeadLogProbs"/>, the default) against the whole-block autograd path
/// (chunkMB = 0, checked against PyTorch in <see cref="CausalLmReferenceTests"/>): values and every parameter
/// gradient to 1e-5, on the PyTorch fixture models and on a 151,936-row vocabulary where one MiB is one position.
/// </summary>
public class TokenLogProbsTests
{
    private const double Tolerance = 1e-5;

    private static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", "models", name);

    /// Three rows, left and right padding, ids below <paramref name="vocab"/>.
    private static (Tensor Ids, Tensor Mask) Batch(int vocab, int seed = 3)
    {
        var rng = new Random(seed);
        const int b = 3, t = 9;
        var ids = new long[b * t];
        var mask = new bool[b * t];
        for (int i = 0; i < b * t; i++) { ids[i] = rng.Next(vocab); mask[i] = true; }
        mask[0] = mask[1] = false;                                   // row 0 left-padded
        mask[2 * t - 1] = false;                                     // row 1 right-padded
        return (tensor(ids, new long[] { b, t }), tensor(mask, new long[] { b, t }));
    }

    /// Σ a·logp + Σ c·entropy over positions with a real next token, a and c fixed random weights; the gradients of
    /// every parameter after backward, keyed by name.
    private static (float[] LogProbs, float[] Entropy, Dictionary<string, float[]> Grads) Run(CausalLm model,
        Tensor ids, Tensor mask, double temperature, int chunkMB, Tensor? positions = null)
    {
        using var scope = NewDisposeScope();
        model.zero_grad();
        var (logp, ent) = TokenLogProbs.ComputeWithEntropy(model, ids, mask, temperature, withEntropy: true,
            entropyWithGrad: true, positions: positions, chunkMB: chunkMB);
        var real = mask.narrow(1, 1, mask.shape[1] - 1).to(ScalarType.Float32);
        if (positions is not null) real = real * positions.to(ScalarType.Float32);
        var gen = new Generator(11);
        var a = rand(logp.shape, generator: gen) - 0.5;
        var c = rand(logp.shape, generator: gen) - 0.5;
        ((logp * a * real).sum() + (ent! * c * real).sum()).backward();
        var grads = model.named_parameters().ToDictionary(p => p.name, p => p.parameter.grad is { } g ? g.data<float>().ToArray() : Array.Empty<float>());
        return ((logp * real).data<float>().ToArray(), (ent! * real).data<float>().ToArray(), grads);
    }

    private static void AssertClose(float[] want, float[] got, string what, double tolerance = Tolerance)
    {
        Assert.Equal(want.Length, got.Length);
        double scale = Math.Max(1.0, want.Length == 0 ? 0 : want.Max(x => Math.Abs((double)x)));
        double worst = want.Zip(got, (x, y) => Math.Abs((double)x - y)).DefaultIfEmpty(0).Max();
        Assert.True(worst <= tolerance * scale, $"{what}: max |chunked − unchunked| = {worst:E2} (scale {scale:F2})");
    }

    private static void AssertSame((float[] LogProbs, float[] Entropy, Dictionary<string, float[]> Grads) want,
        (float[] LogProbs, float[] Entropy, Dictionary<string, float[]> Grads) got, double gradTolerance = Tolerance)
    {
        AssertClose(want.LogProbs, got.LogProbs, "log-probs");
        AssertClose(want.Entropy, got.Entropy, "entropy");
        Assert.Equal(want.Grads.Keys.OrderBy(k => k), got.Grads.Keys.OrderBy(k => k));
        foreach (var (name, g) in want.Grads) AssertClose(g, got.Grads[name], $"grad {name}", gradTolerance);
    }

    [Theory]
    [InlineData("tiny-qwen2", 1.0)]
    [InlineData("tiny-qwen3", 0.7)]
    [InlineData("tiny-llama", 1.0)]
    public void Chunked_OnFixtureModels_EqualsWholeBlock(string name, double temperature)
    {
        using var model = HfModelFolder.Load(Fixture(name), ComputeDevice.Cpu);
        var (ids, mask) = Batch(model.Config.VocabSize);
        using var _ = ids; using var __ = mask;
        AssertSame(Run(model, ids, mask, temperature, chunkMB: 0), Run(model, ids, mask, temperature, chunkMB: 1));
    }

    [Fact]
    public void LmHeadNode_InChunksOfTwo_EqualsOneChunk()
    {
        // Chunk boundaries inside a row: 7 positions in chunks of 2 against one chunk of 7, hidden and weight grads.
        using var scope = NewDisposeScope();
        var gen = new Generator(5);
        var w0 = randn(new long[] { 13, 6 }, generator: gen);
        var h0 = randn(new long[] { 7, 6 }, generator: gen);
        var targets = tensor(new long[] { 0, 3, 12, 5, 5, 9, 1 });
        var coef = randn(new long[] { 7 }, generator: gen);
        float[][] Grads(long chunk)
        {
            var w = w0.clone().requires_grad_(true);
            var h = h0.clone().requires_grad_(true);
            var (logp, ent) = LmHeadLogProbs.Compute(h, w, targets, 0.8, 13, chunk);
            ((logp * coef).sum() + (ent * coef.flip(0)).sum()).backward();
            return new[] { logp.data<float>().ToArray(), ent.data<float>().ToArray(), h.grad!.data<float>().ToArray(), w.grad!.data<float>().ToArray() };
        }
        var one = Grads(7);
        var two = Grads(2);
        for (int i = 0; i < one.Length; i++) AssertClose(one[i], two[i], $"output {i}");
    }

    [Fact]
    public void LmHeadNode_MatchesHandComputedSoftmax()
    {
        // One position, identity head: z = h = [ln 1, ln 2, ln 3, ln 4] at τ = 1 → p = [.1, .2, .3, .4].
        var h = tensor(new[] { 0f, (float)Math.Log(2), (float)Math.Log(3), (float)Math.Log(4) }).view(1, 4).requires_grad_(true);
        var w = eye(4);
        var (logp, ent) = LmHeadLogProbs.Compute(h, w, tensor(new long[] { 2 }), 1.0, 4, 1);
        Assert.Equal(Math.Log(0.3), logp[0].item<float>(), 1e-6);
        double entropy = -(0.1 * Math.Log(0.1) + 0.2 * Math.Log(0.2) + 0.3 * Math.Log(0.3) + 0.4 * Math.Log(0.4));
        Assert.Equal(entropy, ent[0].item<float>(), 1e-6);
        logp.sum().backward();                                      // ∂log p_2/∂z = onehot(2) − p
        var g = h.grad!.data<float>().ToArray();
        Assert.Equal(new[] { -0.1, -0.2, 0.7, -0.4 }, g.Select(x => Math.Round(x, 6)).ToArray());
    }

    [Fact]
    public void Chunked_OnPaddedVocabulary_EqualsWholeBlock_OnePositionPerChunk()
    {
        // vocab_size 151936, logits over the tokenizer's 151,669 ids: chunkMB = 1 is one position per chunk.
        using var model = PaddedVocabulary.Model(seed: 4);
        var (ids, mask) = Batch(PaddedVocabulary.TokenizerIds, seed: 9);
        using var _ = ids; using var __ = mask;
        // Values to 1e-5; gradients to 1e-4 of their largest entry: each hidden-state gradient is a float32 sum over
        // 151,669 vocabulary terms that nearly cancel, and the two paths round that sum differently (measured 3e-5).
        AssertSame(Run(model, ids, mask, 1.0, chunkMB: 0), Run(model, ids, mask, 1.0, chunkMB: 1), gradTolerance: 1e-4);
    }

    [Fact]
    public void SelectedPositions_EqualWholeBlock_ThereAndAreZeroElsewhere()
    {
        using var model = HfModelFolder.Load(Fixture("tiny-qwen2"), ComputeDevice.Cpu);
        var (ids, mask) = Batch(model.Config.VocabSize, seed: 5);
        using var _ = ids; using var __ = mask;
        var positions = zeros(new long[] { 3, 8 }, ScalarType.Bool);
        positions[0, 4] = tensor(true); positions[1, 2] = tensor(true); positions[1, 3] = tensor(true); positions[2, 7] = tensor(true);
        AssertSame(Run(model, ids, mask, 1.0, chunkMB: 0, positions), Run(model, ids, mask, 1.0, chunkMB: 1, positions));
        using var logp = TokenLogProbs.Compute(model, ids, mask, positions: positions);
        Assert.Equal(0f, logp[0, 3].item<float>());
        Assert.NotEqual(0f, logp[0, 4].item<float>());
    }
}
