using RlTrainer.Trainer.Contracts;
using RlTrainer.Trainer.Data;

namespace RlTrainer.Trainer.Training;

/// <summary>What the learner takes from <see cref="RolloutQueue"/> for one step.</summary>
/// <param name="Batch">The samples within the staleness bound (groups renumbered).</param>
/// <param name="CursorAfter">The prompt-sampler cursor after the taken batch's prompts.</param>
/// <param name="Staleness">Per sample of <paramref name="Batch"/>: learner version minus the sampling version.</param>
/// <param name="DroppedSamples">Samples too stale to train, of this batch and of batches skipped before it.</param>
/// <param name="LearnerWaitSeconds">Time the learner waited for the queue.</param>
/// <param name="ProducerWaitSeconds">Time the producer waited for queue room since the previous take.</param>
/// <param name="QueueDepth">Batches left in the queue after this one was taken.</param>
public sealed record TakenBatch(RolloutBatch Batch, SamplerCursor CursorAfter, int[] Staleness, int DroppedSamples,
    double LearnerWaitSeconds, double ProducerWaitSeconds, int QueueDepth);
