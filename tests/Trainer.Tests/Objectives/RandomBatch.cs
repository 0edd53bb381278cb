namespace RlTrainer.Trainer.Tests.Objectives;

/// <summary>
/// A seeded random micro-batch as plain arrays (the closed-form references read these, the objectives get tensors).
/// Rows have different lengths; padding holds values that would poison a loss that looked at it (NaN, ±inf).
/// </summary>
internal sealed record RandomBatch(double[,] LogProbs, double[,] OldLogProbs, double[,] RefLogProbs, double[,] Entropies,
    double[] Advantages, double[,] Mask)
{
    public int Rows => Mask.GetLength(0);
    public int Cols => Mask.GetLength(1);
    public long ValidCount => Mask.Cast<double>().Count(m => m > 0.5);

    public static RandomBatch Create(int seed, int b, int t, double offPolicy = 0.4)
    {
        var rng = new Random(seed);
        double U(double lo, double hi) => lo + (hi - lo) * rng.NextDouble();
        var lp = new double[b, t];
        var old = new double[b, t];
        var rf = new double[b, t];
        var ent = new double[b, t];
        var mask = new double[b, t];
        var adv = new double[b];
        for (int i = 0; i < b; i++)
        {
            adv[i] = U(-2, 2);
            int len = 1 + (i * 3 + seed) % t;                    // 1..t tokens, varied per row
            for (int j = 0; j < t; j++)
            {
                bool on = j < len;
                mask[i, j] = on ? 1 : 0;
                lp[i, j] = on ? U(-3, -0.05) : double.NegativeInfinity;
                old[i, j] = on ? lp[i, j] + U(-offPolicy, offPolicy) : double.NaN;
                rf[i, j] = on ? lp[i, j] + U(-0.5, 0.5) : double.PositiveInfinity;
                ent[i, j] = on ? U(0.1, 3) : double.NaN;
            }
        }
        return new RandomBatch(lp, old, rf, ent, adv, mask);
    }
}
