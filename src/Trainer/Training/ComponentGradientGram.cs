namespace RlTrainer.Trainer.Training;

/// <summary>Gram[i, j] = ⟨g_i, g_j⟩ of the clipped per-component gradients, and each gradient's norm before clipping.</summary>
public sealed record ComponentGradientGram(double[,] Gram, double[] Norms);
