using RlTrainer.Rollout.Sampling;

namespace RlTrainer.Trainer.Engines;

/// <summary>
/// Watches the built-in sampler batch by batch: supplies a decode hook for each batch (trace pruning) and receives the
/// sampler's counters after it. Remote engines decode elsewhere, so they take no hooks and report no counters.
/// </summary>
public interface IGenerationObserver
{
    /// <summary>The hook for requests [first, first + count) of the call, or null.</summary>
    IDecodeHook? HookFor(int first, int count);

    void Record(GenerationStats? stats, IReadOnlyList<GenerationResult> results, IDecodeHook? hook);
}
