using RlTrainer.Rollout.Model;
using RlTrainer.Trainer.Contracts;
using RlTrainer.Trainer.Data;

namespace RlTrainer.Trainer.Training;

/// <summary>
/// Where the loop gets the batch of each step: sampled right there (<see cref="SynchronousRollouts"/>,
/// Training:MaxStaleness = 0) or taken from a producer thread's queue (<see cref="AsyncRollouts"/>). Chosen once at start.
/// </summary>
public interface IRolloutSource : IDisposable
{
    /// <summary>The scored batch step <paramref name="step"/> (0-based) trains on; the policy has completed
    /// <paramref name="step"/> updates.</summary>
    RolloutBatch Next(int step, CancellationToken ct);

    /// <summary>After the update of the batch last returned: the policy has completed <paramref name="version"/> steps.</summary>
    void Trained(CausalLm policy, int version);

    /// <summary>The prompt-sampler cursor after the prompts of the last trained batch: what a checkpoint saves.</summary>
    SamplerCursor TrainedCursor { get; }

    /// <summary>Stops any background sampling and drops what it had queued; idempotent.</summary>
    void Stop();
}
