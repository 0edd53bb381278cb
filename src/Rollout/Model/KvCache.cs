using static TorchSharp.torch;

namespace RlTrainer.Rollout.Model;

/// <summary>
/// Preallocated key/value cache: per layer K and V of shape (B, kv heads, maxLength, hd). All rows share one write
/// position (prompts are left-padded), so appending T new tokens writes columns [Length, Length + T).
/// The tensors live outside every DisposeScope until <see cref="Dispose"/>.
/// </summary>
public sealed class KvCache : IDisposable
{
    private Tensor[] _k, _v;

    public long Length { get; private set; }
    public long MaxLength { get; }
    public long Batch => _k[0].shape[0];

    public KvCache(int layers, long batch, int kvHeads, long maxLength, int headDim, ComputeDevice device)
    {
        MaxLength = maxLength;
        _k = new Tensor[layers];
        _v = new Tensor[layers];
        for (int l = 0; l < layers; l++)
        {
            _k[l] = zeros(new[] { batch, kvHeads, maxLength, headDim }, device.DType, device.Device).DetachFromDisposeScope();
            _v[l] = zeros(new[] { batch, kvHeads, maxLength, headDim }, device.DType, device.Device).DetachFromDisposeScope();
        }
    }

    /// Writes k, v (B, nkv, T, hd) at [Length, Length + T) of layer l; returns views over [0, Length + T).
    internal (Tensor K, Tensor V) Append(int layer, Tensor k, Tensor v)
    {
        long t = k.shape[2], end = Length + t;
        if (end > MaxLength)
            throw new InvalidOperationException($"KV cache overflow: {end} positions needed, {MaxLength} allocated.");
        using (var dst = _k[layer].narrow(2, Length, t)) dst.copy_(k);
        using (var dst = _v[layer].narrow(2, Length, t)) dst.copy_(v);
        return (_k[layer].narrow(2, 0, end), _v[layer].narrow(2, 0, end));
    }

    internal void Advance(long t) => Length += t;

    /// <summary>Keeps only the given rows (int64 indices, on the cache's device): finished rows stop costing compute.</summary>
    public void KeepRows(Tensor rows)
    {
        for (int l = 0; l < _k.Length; l++)
        {
            var k = _k[l].index_select(0, rows).DetachFromDisposeScope();
            var v = _v[l].index_select(0, rows).DetachFromDisposeScope();
            _k[l].Dispose(); _v[l].Dispose();
            _k[l] = k; _v[l] = v;
        }
    }

    public void Dispose()
    {
        foreach (var t in _k) t.Dispose();
        foreach (var t in _v) t.Dispose();
    }
}
