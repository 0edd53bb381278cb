namespace RlTrainer.Trainer.Engines;

/// <summary>How prompt requests are spread over the engine URLs.</summary>
public enum EngineBalancing
{
    /// <summary>Each new request goes to the next URL in turn.</summary>
    RoundRobin,
    /// <summary>Each new request goes to the URL with the fewest requests in flight (ties: the earliest listed).</summary>
    LeastLoaded,
}
