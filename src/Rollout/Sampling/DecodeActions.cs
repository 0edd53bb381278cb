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

    /// <summary>
    /// Resume a row that ended with an eos token in this step (an assistant turn closed by its end-of-turn token):
    /// append <paramref name="inject"/> (not sampled: loss mask 0; a tool turn and the next generation prompt), then
    /// let it sample on up to its length limit. A row without room for the injection ends as truncated
    /// (<see cref="FinishReason.Length"/>); a row that did not end with eos in this step is left as it is.
    /// </summary>
    public void Continue(int row, IReadOnlyList<int> inject)
    {
        if (inject.Count == 0) throw new ArgumentException("a continuation needs at least one token to inject", nameof(inject));
        _requests.TryAdd(row, new Request(StopReason.Eos, inject, 0, Resume: true));
    }

    /// <summary>Stop every listed row of a group with <see cref="StopReason.GroupAbort"/>.</summary>
    public void AbortGroup(IEnumerable<int> rows)
    {
        foreach (var row in rows) Stop(row, StopReason.GroupAbort);
    }

    /// <summary>The tokens a <see cref="Continue"/> asked to inject into <paramref name="row"/>, or null: for drivers
    /// outside the built-in sampler (remote engines run the turns themselves).</summary>
    public IReadOnlyList<int>? ContinuationOf(int row) =>
        _requests.TryGetValue(row, out var r) && r.Resume ? r.Inject : null;

    internal IReadOnlyDictionary<int, Request> Requests => _requests;

    internal void Clear() => _requests.Clear();

    /// <param name="Resume">A <see cref="Continue"/>: applies to a row that just ended with eos, not to a running one.</param>
    internal readonly record struct Request(StopReason Reason, IReadOnlyList<int>? Inject, int ExtraBudget, bool Resume = false);
}
