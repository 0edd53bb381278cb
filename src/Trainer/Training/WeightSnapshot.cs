using RlTrainer.Rollout.Model;
using static TorchSharp.torch;

namespace RlTrainer.Trainer.Training;

/// <summary>
/// The learner's newest weights for the producer of asynchronous rollouts: the learner copies its parameters in after
/// each update, the producer copies them out into its own model between batches, both under one lock, so the
/// producer never sees half an update and never reloads from disk. Only the parameters that train move after the
/// first copy (with LoRA, the adapters alone), so only those are copied per version. The buffers belong to no dispose
/// scope.
/// </summary>
public sealed class WeightSnapshot : IDisposable
{
    private readonly object _lock = new();
    private readonly Dictionary<string, Tensor> _buffers = new();
    private readonly HashSet<string> _trained = new(StringComparer.Ordinal);
    private int _version;

    /// <summary>A snapshot of <paramref name="policy"/> at <paramref name="version"/> completed steps.</summary>
    public WeightSnapshot(CausalLm policy, int version)
    {
        using var noGrad = no_grad();
        foreach (var (name, p) in policy.named_parameters())
        {
            using var detached = p.detach();
            _buffers[name] = detached.clone().DetachFromDisposeScope();
            if (p.requires_grad) _trained.Add(name);
        }
        _version = version;
    }

    public int Version { get { lock (_lock) return _version; } }

    /// <summary>Learner thread, after an update: <paramref name="policy"/> has completed <paramref name="version"/> steps.</summary>
    public void Publish(CausalLm policy, int version)
    {
        lock (_lock)
        {
            using var noGrad = no_grad();
            foreach (var (name, p) in policy.named_parameters())
                if (_trained.Contains(name)) _buffers[name].copy_(p);   // in place; the result is the buffer itself
            _version = version;
        }
    }

    /// <summary>Producer thread: copies the snapshot into <paramref name="model"/> unless it already holds
    /// <paramref name="modelVersion"/> = the snapshot's version; every parameter the first time (modelVersion −1), the
    /// trained ones after that. Returns the version the model now holds.</summary>
    public int CopyInto(CausalLm model, int modelVersion)
    {
        lock (_lock)
        {
            if (_version == modelVersion) return modelVersion;
            using var noGrad = no_grad();
            foreach (var (name, p) in model.named_parameters())
            {
                if (!_buffers.TryGetValue(name, out var source))
                    throw new InvalidOperationException($"the producer's model has a parameter '{name}' the learner's does not.");
                if (modelVersion < 0 || _trained.Contains(name)) p.copy_(source);
            }
            return _version;
        }
    }

    public void Dispose()
    {
        foreach (var b in _buffers.Values) b.Dispose();
        _buffers.Clear();
    }
}
