using RlTrainer.Rollout.Model;
using RlTrainer.Trainer.Contracts;
using RlTrainer.Trainer.Data;
using RlTrainer.Trainer.Engines;

namespace RlTrainer.Trainer.Training;

/// <summary>
/// Today's loop: the engine is synced to the current policy and the step's batch is sampled on the training thread,
/// so every sample is on-policy and a resumed run samples what an uninterrupted one would.
/// </summary>
public sealed class SynchronousRollouts(IRolloutEngine engine, CausalLm policy, RolloutPhase phase, EpochSampler prompts) : IRolloutSource
{
    public RolloutBatch Next(int step, CancellationToken ct)
    {
        engine.SyncWeights(policy, step);      // remote engines serve the current weights
        return phase.Run(step, prompts, ct);   // sample → score
    }

    // The cursor after the last trained batch, not the sampler's live one: a stop during a step's rollout has drawn that
    // step's prompts already, and a checkpoint with the live cursor would resume past prompts that were never trained.
    public void Trained(CausalLm policy, int version) => TrainedCursor = prompts.Cursor;

    public SamplerCursor TrainedCursor { get; private set; } = prompts.Cursor;

    public void Stop() { }

    public void Dispose() { }
}
