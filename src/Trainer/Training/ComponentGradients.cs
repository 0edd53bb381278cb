using System.Text.RegularExpressions;
using RlTrainer.Rollout.Model;
using RlTrainer.Trainer.Contracts;
using static TorchSharp.torch;

namespace RlTrainer.Trainer.Training;

/// <summary>
/// The gradient weighting's extra pass (docs/algorithms.md#gradient-weighting): one backward per reward component over
/// the whole batch with that component's advantages, no optimizer step. Only the K×K Gram matrix of the clipped,
/// flattened gradients leaves <see cref="Gram"/>; the policy's gradients are zero again when it returns.
/// </summary>
public sealed class ComponentGradients(PolicyLoss loss, TrainingOptions training)
{
    private readonly List<TorchSharp.Modules.Parameter> _parameters = loss.Policy.TrainableParameters().ToList();

    /// <param name="advantagesPerComponent">K advantage vectors (B,) in the batch's sample order.</param>
    /// <param name="maxGradNorm">Each g_k is scaled down to this L2 norm when longer; 0 = no clip.</param>
    /// <param name="targetLayers">Decoder layers whose parameters form g_k; null = every parameter.</param>
    public ComponentGradientGram Gram(RolloutBatch batch, IReadOnlyList<double[]> advantagesPerComponent,
        double maxGradNorm, IReadOnlyList<int>? targetLayers)
    {
        var samples = batch.Samples;
        int micro = training.MicroBatchSize;
        var normalizer = loss.NormalizerFor(samples);
        var target = TargetParameters(targetLayers);
        if (target.Count == 0) throw new InvalidOperationException("gradient weighting: no parameter belongs to the target layers");

        int k = advantagesPerComponent.Count;
        var flat = new Tensor[k];
        var norms = new double[k];
        using var scope = NewDisposeScope();   // the flattened gradients die here; only the Gram matrix leaves
        loss.Policy.train();
        try
        {
            foreach (var p in _parameters) p.grad?.zero_();
            for (int o = 0; o < k; o++)
            {
                for (int start = 0; start < samples.Count; start += micro)
                {
                    using var microScope = NewDisposeScope();
                    var rows = samples.Skip(start).Take(micro).ToList();
                    var rowAdv = advantagesPerComponent[o].Skip(start).Take(micro).ToArray();
                    loss.MicroBatch(rows, rowAdv, normalizer).Loss.backward();
                }
                using (no_grad())
                {
                    var g = cat(target.Select(p => p.grad is null ? zeros(p.numel(), ScalarType.Float64) : p.grad.flatten().to_type(ScalarType.Float64)).ToList(), 0);
                    norms[o] = g.norm().item<double>();
                    if (maxGradNorm > 0 && norms[o] > maxGradNorm) g = g * (maxGradNorm / (norms[o] + 1e-6));
                    flat[o] = g;
                }
                foreach (var p in _parameters) p.grad?.zero_();
            }
            var gram = new double[k, k];
            for (int i = 0; i < k; i++)
                for (int j = i; j < k; j++)
                    gram[i, j] = gram[j, i] = flat[i].dot(flat[j]).item<double>();
            return new ComponentGradientGram(gram, norms);
        }
        finally
        {
            loss.Policy.eval();
        }
    }

    private List<TorchSharp.Modules.Parameter> TargetParameters(IReadOnlyList<int>? layers)
    {
        if (layers is null) return _parameters;
        var wanted = layers.ToHashSet();
        var layer = new Regex(@"^model\.layers\.(\d+)\.");
        return loss.Policy.named_parameters()
            .Where(np => np.parameter.requires_grad && layer.Match(np.name) is { Success: true } m && wanted.Contains(int.Parse(m.Groups[1].Value)))
            .Select(np => np.parameter).ToList();
    }
}
