using TorchSharp;
using RlTrainer.Rollout.Model;
using static TorchSharp.torch;

namespace RlTrainer.Rollout.Sampling;

/// <summary>
/// The tensors a decode loop carries from step to step, for the rows still active: attention mask, positions,
/// KV cache (or the whole id matrix when the cache is off) and the last position's logits.
/// They live outside the per-step DisposeScopes; each replaced tensor is disposed at once.
/// </summary>
internal sealed class DecodeState : IDisposable
{
    private Tensor _mask;          // (B_act, L) bool
    private Tensor? _positions;    // (B_act, L) int64, only without a cache
    private Tensor _lastPosition;  // (B_act, 1) int64
    private Tensor? _ids;          // (B_act, L) int64, only without a cache
    private readonly KvCache? _cache;

    /// Rows the prefill ran (distinct prompts when they share their prefill).
    public int PrefillRows { get; private init; }
    /// Indices (into the request list) of the rows still being decoded, in batch order.
    public List<int> Active { get; private set; }
    /// (B_act, V) float32 logits at each active row's last position.
    public Tensor LastLogits { get; private set; }

    private DecodeState(Tensor mask, Tensor positions, Tensor? ids, KvCache? cache, Tensor lastLogits, int rows)
    {
        _mask = Keep(mask); _ids = ids is null ? null : Keep(ids); _positions = ids is null ? null : Keep(positions); _cache = cache;
        _lastPosition = Keep(positions.narrow(1, positions.shape[1] - 1, 1).clone());
        LastLogits = Keep(lastLogits);
        Active = Enumerable.Range(0, rows).ToList();
    }

    /// <summary>Left-pads the prompts, runs them through the model and keeps the last logits.</summary>
    /// <param name="cacheExtra">Positions to reserve in the KV cache beyond the prompts; 0 = no cache.</param>
    /// <param name="sharePrefill">Identical prompts (the G completions of a GRPO group) are prefilled once and their
    /// cache rows, masks and logits copied to every row that asks for them: prefill cost drops by G, and every row
    /// starts from the same values it would have computed itself (same padding, same positions).</param>
    public static DecodeState Prefill(CausalLm model, IReadOnlyList<GenerationRequest> requests, int cacheExtra,
        bool sharePrefill = true)
    {
        using var scope = NewDisposeScope();
        int b = requests.Count, l = requests.Max(r => r.PromptIds.Count);
        var (unique, source) = sharePrefill ? DistinctPrompts(requests) : (requests.Select(r => r.PromptIds).ToList(), Enumerable.Range(0, b).ToArray());
        int u = unique.Count;
        var ids = new long[u * l];
        var valid = new bool[u * l];
        for (int i = 0; i < u; i++)
        {
            var p = unique[i];
            int pad = l - p.Count;
            for (int j = 0; j < p.Count; j++) { ids[i * l + pad + j] = p[j]; valid[i * l + pad + j] = true; }
        }
        var dev = model.Device.Device;
        var idT = tensor(ids, new long[] { u, l }, device: dev);                        // (U, L)
        var mask = tensor(valid, new long[] { u, l }, device: dev);
        using Scalar zero = 0L.ToScalar(), one = 1L.ToScalar();   // explicit: see TokenSampler.ScaledBy
        var positions = mask.to(ScalarType.Int64).cumsum(1).sub(one).clamp_min(zero);  // (U, L): index among real tokens
        var cache = cacheExtra > 0 ? model.NewCache(u, l + cacheExtra) : null;
        var hidden = model.Hidden(idT, positions, mask, cache);                         // (U, L, C)
        var logits = LastLogitsOf(model, hidden);                                       // (U, V)
        if (u < b)
        {
            var rows = tensor(source.Select(i => (long)i).ToArray(), device: dev);     // (B,) request → unique prompt
            cache?.KeepRows(rows);                                                      // (B, nkv, L + extra, hd) per layer
            (idT, mask, positions, logits) = (idT.index_select(0, rows), mask.index_select(0, rows),
                positions.index_select(0, rows), logits.index_select(0, rows));
        }
        return new DecodeState(mask, positions, cache is null ? idT : null, cache, logits, b) { PrefillRows = u };
    }

    /// The distinct prompts in first-seen order, and for each request the index of its prompt among them.
    private static (List<IReadOnlyList<int>> Unique, int[] Source) DistinctPrompts(IReadOnlyList<GenerationRequest> requests)
    {
        var unique = new List<IReadOnlyList<int>>();
        var index = new Dictionary<IReadOnlyList<int>, int>(PromptComparer.Instance);
        var source = new int[requests.Count];
        for (int i = 0; i < requests.Count; i++)
        {
            var p = requests[i].PromptIds;
            if (!index.TryGetValue(p, out var k)) { k = unique.Count; index[p] = k; unique.Add(p); }
            source[i] = k;
        }
        return (unique, source);
    }

    private sealed class PromptComparer : IEqualityComparer<IReadOnlyList<int>>
    {
        public static readonly PromptComparer Instance = new();
        public bool Equals(IReadOnlyList<int>? x, IReadOnlyList<int>? y) =>
            ReferenceEquals(x, y) || (x is not null && y is not null && x.SequenceEqual(y));
        public int GetHashCode(IReadOnlyList<int> ids)
        {
            var h = new HashCode();
            foreach (var id in ids) h.Add(id);
            return h.ToHashCode();
        }
    }

    /// <summary>Drops the rows not in <paramref name="keep"/> (indices into the active list) and feeds each kept
    /// row its new token.</summary>
    public void Step(CausalLm model, List<int> keep, long[] tokens)
    {
        using var scope = NewDisposeScope();
        var dev = model.Device.Device;
        if (keep.Count < Active.Count)
        {
            var rows = tensor(keep.Select(k => (long)k).ToArray(), device: dev);
            Replace(ref _mask, _mask.index_select(0, rows));
            if (_positions is not null) Replace(ref _positions!, _positions.index_select(0, rows));
            Replace(ref _lastPosition, _lastPosition.index_select(0, rows));
            if (_ids is not null) Replace(ref _ids!, _ids.index_select(0, rows));
            _cache?.KeepRows(rows);
            Active = keep.Select(k => Active[k]).ToList();
        }
        var next = tensor(keep.Select(k => tokens[k]).ToArray(), device: dev).unsqueeze(1);  // (B, 1)
        Replace(ref _lastPosition, _lastPosition.add(FixedScalars.One, FixedScalars.One));     // (B, 1); explicit Scalars: see FixedScalars
        Replace(ref _mask, cat(new[] { _mask, ones(keep.Count, 1, ScalarType.Bool, dev) }, 1));
        Tensor hidden;
        if (_cache is not null) hidden = model.Hidden(next, _lastPosition, _mask, _cache);   // (B, 1, C)
        else
        {
            Replace(ref _ids!, cat(new[] { _ids!, next }, 1));
            Replace(ref _positions!, cat(new[] { _positions!, _lastPosition }, 1));
            hidden = model.Hidden(_ids!, _positions!, _mask);                                  // (B, L, C)
        }
        var logits = LastLogitsOf(model, hidden);
        var old = LastLogits;
        LastLogits = Keep(logits);
        old.Dispose();
    }

    /// lm_head on the last position only: (B, L, C) → (B, V) float32. Saves B·(L−1)·C·V flops in the prefill.
    private static Tensor LastLogitsOf(CausalLm model, Tensor hidden) =>
        model.Logits(hidden.narrow(1, hidden.shape[1] - 1, 1)).squeeze(1).to(ScalarType.Float32);

    private static Tensor Keep(Tensor t) => t.DetachFromDisposeScope();

    private static void Replace(ref Tensor field, Tensor value)
    {
        var old = field;
        field = Keep(value);
        old.Dispose();
    }

    public void Dispose()
    {
        _mask.Dispose(); _positions?.Dispose(); _lastPosition.Dispose(); _ids?.Dispose();
        LastLogits.Dispose();
        _cache?.Dispose();
    }
}
