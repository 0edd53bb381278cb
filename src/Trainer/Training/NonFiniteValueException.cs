using System.Globalization;
using RlTrainer.Trainer.Errors;
using RlTrainer.Trainer.Contracts;

namespace RlTrainer.Trainer.Training;

/// <summary>
/// A reward or a loss of a training step that is NaN or ±inf. Thrown before the optimizer step it would poison; the
/// loop then stops and keeps (or writes) the checkpoint of the last good step. Exit code 1.
/// </summary>
public sealed class NonFiniteValueException(int step, string what, double value, bool weightsIntact)
    : RunFailedException($"step {step}: {what} is {Show(value)}")
{
    /// <summary>The step that failed (1-based, as metrics.jsonl counts).</summary>
    public int Step { get; } = step;

    /// <summary>True when no optimizer step of the failed step ran: the weights are still the last good step's.</summary>
    public bool WeightsIntact { get; } = weightsIntact;

    /// <summary>Throws when a sample's reward is ±inf or a reward component's value is NaN or ±inf (a NaN total
    /// marks a completion no component could score, and is not an error).</summary>
    public static void ThrowIfRewardsNotFinite(RolloutBatch batch, int step)
    {
        for (int i = 0; i < batch.Samples.Count; i++)
        {
            var s = batch.Samples[i];
            for (int k = 0; k < s.Components.Length; k++)
            {
                if (s.Components[k] is { } v && !double.IsFinite(v))
                {
                    var name = k < batch.ComponentNames.Count ? batch.ComponentNames[k] : k.ToString(CultureInfo.InvariantCulture);
                    throw new NonFiniteValueException(step, $"reward component '{name}' of completion {i} (prompt {s.Group})", v, true);
                }
            }
            if (double.IsInfinity(s.Reward))
                throw new NonFiniteValueException(step, $"the reward of completion {i} (prompt {s.Group})", s.Reward, true);
        }
    }

    private static string Show(double v) => double.IsNaN(v) ? "NaN" : v > 0 ? "+inf" : v < 0 && double.IsInfinity(v) ? "-inf"
        : v.ToString("R", CultureInfo.InvariantCulture);
}
