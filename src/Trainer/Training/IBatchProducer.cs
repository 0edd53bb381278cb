namespace RlTrainer.Trainer.Training;

/// <summary>
/// Samples and scores batches on the producer thread of <see cref="RolloutQueue"/>: created, used and disposed on that
/// thread alone (TorchSharp dispose scopes are per thread), each call inside its own dispose scope.
/// </summary>
public interface IBatchProducer : IDisposable
{
    /// <summary>Brings its weights up to the newest published version (between batches only), then samples and scores
    /// the batch of produced index <paramref name="index"/> (the seeds of step <paramref name="index"/>).</summary>
    QueuedBatch Produce(int index, CancellationToken ct);
}
