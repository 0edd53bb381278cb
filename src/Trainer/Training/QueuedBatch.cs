using RlTrainer.Trainer.Contracts;
using RlTrainer.Trainer.Data;

namespace RlTrainer.Trainer.Training;

/// <summary>A batch the producer sampled and scored ahead of the learner.</summary>
/// <param name="Batch">Its samples, each tagged with the policy version that sampled it.</param>
/// <param name="CursorAfter">The producer's prompt-sampler cursor after this batch's prompts: saved once it is trained.</param>
public sealed record QueuedBatch(RolloutBatch Batch, SamplerCursor CursorAfter);
