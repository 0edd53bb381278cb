namespace RlTrainer.Trainer.Engines;

/// <summary>
/// The train/inference importance weights (docs/algorithms.md#remote-importance-sampling) for one completion, from the trainer's recomputed
/// log-probs and the engine's: Δ_t = ℓ^trainer_t − ℓ^engine_t; token modes weigh each token by exp(Δ_t), sequence
/// modes weigh every token of the completion by exp(Σ_t Δ_t); "truncate" clamps to [min, max], "mask" zeroes
/// weights outside it. Computed in double on the CPU: a completion is at most a few thousand tokens.
/// </summary>
public static class ImportanceCorrection
{
    /// <returns>One weight per completion token (all 1 for <see cref="IsCorrectionMode.None"/>).</returns>
    public static float[] Weights(IReadOnlyList<float> trainer, IReadOnlyList<float> engine, IsCorrectionMode mode,
        double max, double? min)
    {
        if (trainer.Count != engine.Count)
            throw new ArgumentException($"trainer log-probs ({trainer.Count}) and engine log-probs ({engine.Count}) differ in length.");
        int n = trainer.Count;
        var w = new float[n];
        if (mode == IsCorrectionMode.None || n == 0) { Array.Fill(w, 1f); return w; }
        bool sequence = mode is IsCorrectionMode.SequenceTruncate or IsCorrectionMode.SequenceMask;
        bool mask = mode is IsCorrectionMode.TokenMask or IsCorrectionMode.SequenceMask;
        if (sequence)
        {
            double sum = 0;
            for (int t = 0; t < n; t++) sum += (double)trainer[t] - engine[t];
            Array.Fill(w, (float)Bound(Math.Exp(sum), mask, max, min));
            return w;
        }
        for (int t = 0; t < n; t++) w[t] = (float)Bound(Math.Exp((double)trainer[t] - engine[t]), mask, max, min);
        return w;
    }

    private static double Bound(double rho, bool mask, double max, double? min)
    {
        double lo = min ?? 0.0;
        if (mask) return rho > max || rho < lo ? 0.0 : rho;
        return Math.Clamp(rho, lo, max);
    }
}
