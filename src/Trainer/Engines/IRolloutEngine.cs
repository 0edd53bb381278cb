using RlTrainer.Rollout.Model;
using RlTrainer.Rollout.Sampling;

namespace RlTrainer.Trainer.Engines;

/// <summary>
/// Samples a step's completions. Requests that share one prompt id list (the G completions of a prompt, contiguous)
/// may be sent as one n-sample request; results keep the request order.
/// </summary>
public interface IRolloutEngine : IDisposable
{
    /// <summary>True when the completions come from another copy of the weights (their log-probs must be recomputed).</summary>
    bool IsRemote { get; }

    /// <summary>Makes the engine sample from <paramref name="policy"/>, which has completed <paramref name="version"/>
    /// training steps; a no-op when it already does.</summary>
    void SyncWeights(CausalLm policy, int version);

    /// <param name="observer">Hooks and counters per decoded batch; only the built-in sampler uses it.</param>
    IReadOnlyList<EngineCompletion> Generate(IReadOnlyList<GenerationRequest> requests, SamplingOptions options,
        int batchSize, CancellationToken ct, IGenerationObserver? observer = null);

    /// <summary>Counters since the last call (retries, failed syncs, seconds spent syncing), then reset.</summary>
    IReadOnlyDictionary<string, double> TakeCounters();
}
