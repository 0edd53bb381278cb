using RlTrainer.Rollout.Model;
using RlTrainer.Rollout.Sampling;

namespace RlTrainer.Trainer.Engines;

/// <summary>The built-in sampler on the trainer's own policy: always current, nothing to sync.</summary>
public sealed class LocalRolloutEngine(CausalLm model, Func<IReadOnlyList<int>, string> decode) : IRolloutEngine
{
    private int _version;

    public bool IsRemote => false;

    public void SyncWeights(CausalLm policy, int version) => _version = version;

    public IReadOnlyList<EngineCompletion> Generate(IReadOnlyList<GenerationRequest> requests, SamplingOptions options,
        int batchSize, CancellationToken ct, IGenerationObserver? observer = null)
    {
        var sampler = new BatchSampler(model, decode);
        var results = new List<EngineCompletion>(requests.Count);
        for (int start = 0; start < requests.Count; start += batchSize)
        {
            ct.ThrowIfCancellationRequested();
            var batch = requests.Skip(start).Take(batchSize).ToArray();
            var hook = observer?.HookFor(start, batch.Length);
            var generated = sampler.Generate(batch, options, ct, hook);
            observer?.Record(sampler.LastStats, generated, hook);
            results.AddRange(generated.Select(r => new EngineCompletion(r, _version, "local")));
        }
        return results;
    }

    public IReadOnlyDictionary<string, double> TakeCounters() => new Dictionary<string, double>();

    public void Dispose() { }
}
