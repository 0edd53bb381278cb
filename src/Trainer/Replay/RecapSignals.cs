namespace RlTrainer.Trainer.Replay;

/// <summary>One task's RECAP signals at one step: window means, spread, convergence, instability, score.</summary>
/// <param name="Current">μ, mean of the last W tracked values.</param>
/// <param name="Old">μ̃, mean of the W values before those.</param>
/// <param name="Sigma">σ, unbiased standard deviation over all 2W values.</param>
/// <param name="Convergence">c, &gt; 1 when the task improved between the two windows.</param>
/// <param name="Instability">i = σ / (μ + μ̃ + ε), the inverse signal-to-noise ratio.</param>
/// <param name="Score">s = c + i, or α·c + (1 − α)·i.</param>
public readonly record struct RecapSignals(double Current, double Old, double Sigma, double Convergence, double Instability, double Score);
