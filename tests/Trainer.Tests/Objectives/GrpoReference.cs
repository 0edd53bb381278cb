using RlTrainer.Trainer.Objectives;

namespace RlTrainer.Trainer.Tests.Objectives;

/// <summary>
/// The TRL clipped-surrogate loss and its gradient w.r.t. ℓ written out by hand in doubles, token by token
/// (docs/algorithms.md#clipped-surrogate, #loss-normalisation), independent of TorchSharp. Gradient of −min(w·A, clip(w)·A): −A·w·∂log w/∂ℓ when the
/// unclipped branch is the minimum, else 0; ∂k3/∂ℓ = 1 − exp(ℓ^ref − ℓ).
/// </summary>
internal static class GrpoReference
{
    public static (double Loss, double[,] Grad) LossAndGradient(RandomBatch d, GrpoOptions o, LossNormalizer n)
    {
        int b = d.Rows, t = d.Cols;
        double epsHigh = o.EpsilonHigh ?? o.Epsilon;
        var grad = new double[b, t];
        double loss = 0;
        long total = 0;
        for (int i = 0; i < b; i++) for (int j = 0; j < t; j++) total += d.Mask[i, j] > 0.5 ? 1 : 0;
        for (int i = 0; i < b; i++)
        {
            int len = 0;
            double seqLogRatio = 0;
            for (int j = 0; j < t; j++)
                if (d.Mask[i, j] > 0.5) { len++; seqLogRatio += d.LogProbs[i, j] - d.OldLogProbs[i, j]; }
            double nSeq = Math.Max(len, 1);
            for (int j = 0; j < t; j++)
            {
                if (d.Mask[i, j] <= 0.5) continue;
                bool seq = o.ImportanceSamplingLevel == ImportanceSamplingLevel.Sequence;
                double w = Math.Exp(seq ? seqLogRatio / nSeq : d.LogProbs[i, j] - d.OldLogProbs[i, j]);
                double a = d.Advantages[i];
                double c = Math.Clamp(w, 1 - o.Epsilon, 1 + epsHigh);
                double l = -Math.Min(w * a, c * a);
                bool unclipped = w * a <= c * a;
                double kl = 0, klGrad = 0;
                if (o.Beta > 0)
                {
                    double q = d.RefLogProbs[i, j] - d.LogProbs[i, j];
                    kl = Math.Exp(q) - q - 1;
                    klGrad = 1 - Math.Exp(q);
                }
                double weight = Weight(o.Aggregation, n, b, nSeq, total);
                loss += (l + o.Beta * kl) * weight;
                // token level: ∂log w/∂ℓ_t = 1 at t; sequence level: every valid token of row i gets 1/n_i
                double wGrad = unclipped ? -a * w : 0;
                if (seq)
                {
                    for (int k = 0; k < t; k++)
                        if (d.Mask[i, k] > 0.5) grad[i, k] += wGrad / nSeq * weight;
                    grad[i, j] += o.Beta * klGrad * weight;
                }
                else grad[i, j] += (wGrad + o.Beta * klGrad) * weight;
            }
        }
        return (loss, grad);
    }

    // The factor each valid token's loss gets in the micro-batch scalar (docs/algorithms.md#loss-normalisation).
    private static double Weight(LossAggregation mode, LossNormalizer n, int b, double nSeq, long localTokens) => mode switch
    {
        LossAggregation.SeqMeanTokenMean => 1.0 / (nSeq * b * n.MicroBatchCount),
        LossAggregation.LocalTokenMean => 1.0 / (Math.Max(localTokens, 1) * (double)n.MicroBatchCount),
        LossAggregation.ConstantNorm => 1.0 / ((double)b * n.MaxCompletionLength * n.MicroBatchCount),
        LossAggregation.GlobalTokenMean => 1.0 / Math.Max(n.TrainedTokens, 1),
        _ => throw new ArgumentOutOfRangeException(nameof(mode)),
    };
}
