namespace RlTrainer.Trainer.Optimization;

/// <summary>Shape of the learning rate after warm-up.</summary>
public enum LrScheduleKind
{
    Constant,
    Linear,
    Cosine,
}
