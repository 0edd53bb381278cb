namespace RlTrainer.Trainer.Reporting;

/// <summary>
/// Exponential moving average with bias correction, the smoothing TensorBoard applies to scalar curves:
/// m_t = w·m_{t−1} + (1 − w)·x_t with m_0 = 0, shown as m_t / (1 − w^t). The correction keeps the first points at the
/// data instead of pulled toward 0. Non-finite values are skipped (they stay non-finite in the output).
/// </summary>
public static class EmaSmoothing
{
    /// <param name="weight">w in [0, 1): 0 = no smoothing; TensorBoard's default is 0.6.</param>
    public static double[] Apply(IReadOnlyList<double> values, double weight)
    {
        if (weight < 0 || weight >= 1 || double.IsNaN(weight))
            throw new ArgumentOutOfRangeException(nameof(weight), weight, "smoothing weight must be in [0, 1)");
        var smoothed = new double[values.Count];
        double m = 0;
        int seen = 0;
        for (int i = 0; i < values.Count; i++)
        {
            double x = values[i];
            if (!double.IsFinite(x)) { smoothed[i] = x; continue; }
            m = weight * m + (1 - weight) * x;
            seen++;
            smoothed[i] = weight == 0 ? x : m / (1 - Math.Pow(weight, seen));
        }
        return smoothed;
    }
}
