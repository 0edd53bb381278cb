namespace RlTrainer.Trainer.Tests.Objectives;

/// <summary>
/// P3O written out by hand in doubles (docs/algorithms.md#ess-objective), independent of TorchSharp: ESS from the plain
/// weights (no shift, no 1e-8), ρ = min(r, e), FeynRL's k3 with the ±10 exponent clamp, and the closed-form
/// gradient ∂Loss/∂ℓ_t = [−ρ_t·A_t + (1 − e)(1 − exp(ℓ^b − ℓ)) + β_kl(1 − exp(ℓ^ref − ℓ))]/D, an exponential whose
/// clamp is active contributing 0; ∂Loss/∂H_t = −β_ent/D.
/// </summary>
internal static class P3oReference
{
    public static (double Loss, double[,] Grad, double[,] EntropyGrad, double Ess) LossAndGradient(
        RandomBatch d, double denom, double klCoef = 0, double entCoef = 0)
    {
        int b = d.Rows, t = d.Cols;
        double s1 = 0, s2 = 0, n = 0;
        for (int i = 0; i < b; i++)
            for (int j = 0; j < t; j++)
                if (d.Mask[i, j] > 0.5)
                {
                    double w = Math.Exp(d.LogProbs[i, j] - d.OldLogProbs[i, j]);
                    s1 += w; s2 += w * w; n++;
                }
        double e = n == 0 ? 1 : s1 * s1 / (n * s2);
        double total = 0;
        var grad = new double[b, t];
        var entGrad = new double[b, t];
        for (int i = 0; i < b; i++)
            for (int j = 0; j < t; j++)
            {
                if (d.Mask[i, j] <= 0.5) continue;
                double l = d.LogProbs[i, j], a = d.Advantages[i];
                double rho = Math.Min(Math.Exp(l - d.OldLogProbs[i, j]), e);
                total += -rho * a * l + (1 - e) * K3(l, d.OldLogProbs[i, j]) - entCoef * d.Entropies[i, j];
                grad[i, j] = -rho * a + (1 - e) * K3Grad(l, d.OldLogProbs[i, j]);
                if (klCoef > 0)
                {
                    total += klCoef * K3(l, d.RefLogProbs[i, j]);
                    grad[i, j] += klCoef * K3Grad(l, d.RefLogProbs[i, j]);
                }
                grad[i, j] /= denom;
                entGrad[i, j] = -entCoef / denom;
            }
        return (total / denom, grad, entGrad, e);
    }

    public static double K3(double l, double q) => (l - q) + Math.Exp(Math.Clamp(q - l, -10, 10)) - 1;

    public static double K3Grad(double l, double q) => 1 - (Math.Abs(q - l) < 10 ? Math.Exp(q - l) : 0);
}
