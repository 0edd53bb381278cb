namespace RlTrainer.Trainer.Tests.Engines;

/// <summary>A running `rltrainer serve` engine the tests can point a training run at and stop.</summary>
internal interface IServeEngine : IDisposable
{
    string Url { get; }

    /// <summary>Stops answering, as a crashed engine would.</summary>
    void Kill();
}
