namespace RlTrainer.Rollout.Sampling;

/// <summary>
/// What a <see cref="IDecodeHook"/> asks the sampler to do after a step (docs/algorithms.md#decode-hook). Requests about
/// rows that already ended are ignored; the first request about a row in a step wins.
/// </summary>
public sealed class DecodeActions
{
    private readonly Dictionary<int, Request> _requests = new();

    /// <summary>End the row now; its completion stays as sampled so far.</summary>
    public void Stop(int row, StopReason reason) => _requests.TryAdd(row, new Request(reason, null, 0));

    /// <summary>
    /// Append <paramref name="inject"/> (not sampled: loss mask 0), then let the row sample at most
    /// <paramref name="extraBudget"/> more tokens or until eos. Rows without room for the injection are stopped.
    /// </summary>
    public void Conclude(int row, IReadOnlyList<int> inject, int extraBudget, StopReason reason)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(extraBudget);
        if (inject.Count == 0) throw new ArgumentException("a conclusion needs at least one token to inject", nameof(inject));
        _requests.TryAdd(row, new Request(reason, inject, extraBudget));
    }

    /// <summary>Stop every listed row of a group with <see cref="StopReason.GroupAbort"/>.</summary>
    public void AbortGroup(IEnumerable<int> rows)
    {
        foreach (var row in rows) Stop(row, StopReason.GroupAbort);
    }

    internal IReadOnlyDictionary<int, Request> Requests => _requests;

    internal void Clear() => _requests.Clear();

    internal readonly record struct Request(StopReason Reason, IReadOnlyList<int>? Inject, int ExtraBudget);
}
