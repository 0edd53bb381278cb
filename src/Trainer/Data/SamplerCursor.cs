namespace RlTrainer.Trainer.Data;

/// <summary>
/// Where an <see cref="EpochSampler"/> stands: the epoch (from 0) and how many examples of it were already drawn.
/// Checkpointed with the model so a resumed run draws exactly the examples an uninterrupted one would.
/// </summary>
public readonly record struct SamplerCursor(int Epoch, int Position);
