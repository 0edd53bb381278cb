namespace RlTrainer.Rewards.Weighting;

/// <summary>
/// DRW gradient-based weighting (docs/algorithms.md#gradient-weighting): with g_k the clipped policy gradient of reward component k alone,
/// the influence I_k = ⟨g_k, Σ_j g_j⟩ (a row sum of the Gram matrix) is accumulated, and every M steps the weights
/// take one entropic mirror-descent (exponentiated-gradient) step on the simplex:
/// w ← softmax(log w + (η_t / μ) · Ī), η_t the policy's learning rate, μ the regularisation factor, Ī the mean
/// influence over the M steps. Components whose gradient agrees with the total gain weight.
/// </summary>
public sealed class GradientWeighting
{
    private readonly GradientWeightingOptions _options;
    private double[] _weights;
    private double[] _accumulated;

    /// <param name="initialWeights">Positive starting weights; they are normalised to sum to 1.</param>
    public GradientWeighting(IReadOnlyList<double> initialWeights, GradientWeightingOptions options)
    {
        if (initialWeights.Count < 2) throw new ArgumentException("gradient weighting needs at least two reward components", nameof(initialWeights));
        if (initialWeights.Any(w => !(w > 0) || !double.IsFinite(w)))
            throw new ArgumentException("initial weights must be positive and finite", nameof(initialWeights));
        _options = options;
        double sum = initialWeights.Sum();
        _weights = initialWeights.Select(w => w / sum).ToArray();
        _accumulated = new double[_weights.Length];
    }

    public IReadOnlyList<double> Weights => _weights;

    /// <summary>Influence accumulated since the last weight update.</summary>
    public IReadOnlyList<double> AccumulatedInfluence => _accumulated;

    /// <summary>Steps accumulated since the last weight update.</summary>
    public int AccumulatedSteps { get; private set; }

    /// <summary>I_k = Σ_j G_kj for a Gram matrix G_kj = ⟨g_k, g_j⟩.</summary>
    public static double[] Influence(double[,] gram)
    {
        int k = gram.GetLength(0);
        if (gram.GetLength(1) != k) throw new ArgumentException("the Gram matrix must be square", nameof(gram));
        var influence = new double[k];
        for (int i = 0; i < k; i++)
            for (int j = 0; j < k; j++) influence[i] += gram[i, j];
        return influence;
    }

    /// <summary>
    /// Adds one step's influence; on every <see cref="GradientWeightingOptions.AccumulationSteps"/>-th call applies
    /// the mirror-descent step with learning rate <paramref name="learningRate"/>.
    /// </summary>
    /// <returns>True when the weights changed.</returns>
    public bool Accumulate(IReadOnlyList<double> influence, double learningRate)
    {
        if (influence.Count != _weights.Length)
            throw new ArgumentException($"expected {_weights.Length} influences, got {influence.Count}", nameof(influence));
        if (influence.Any(x => !double.IsFinite(x))) throw new ArgumentException("influences must be finite", nameof(influence));
        for (int k = 0; k < _weights.Length; k++) _accumulated[k] += influence[k];
        if (++AccumulatedSteps < _options.AccumulationSteps) return false;
        var mean = _accumulated.Select(x => x / AccumulatedSteps).ToArray();
        _weights = MirrorDescentStep(_weights, mean, learningRate / _options.Regularization);
        Array.Clear(_accumulated);
        AccumulatedSteps = 0;
        return true;
    }

    /// <summary>softmax(log w + step · I), computed with the maximum logit subtracted so that large steps do not overflow.</summary>
    public static double[] MirrorDescentStep(IReadOnlyList<double> weights, IReadOnlyList<double> influence, double step)
    {
        var logits = weights.Select((w, k) => Math.Log(w) + step * influence[k]).ToArray();
        double max = logits.Max();
        var exp = logits.Select(l => Math.Exp(l - max)).ToArray();
        double z = exp.Sum();
        return exp.Select(e => e / z).ToArray();
    }

    /// <summary>Checkpoint restore.</summary>
    public void Restore(IReadOnlyList<double> weights, IReadOnlyList<double> accumulated, int accumulatedSteps)
    {
        if (weights.Count != _weights.Length || accumulated.Count != _weights.Length)
            throw new ArgumentException($"expected {_weights.Length} weights and influences");
        if (weights.Any(w => !(w >= 0)) || !(weights.Sum() > 0)) throw new ArgumentException("restored weights must be non-negative with a positive sum", nameof(weights));
        _weights = weights.ToArray();
        _accumulated = accumulated.ToArray();
        AccumulatedSteps = accumulatedSteps;
    }
}
