namespace RlTrainer.Rollout.Pruning;

/// <summary>
/// Detects a token-level loop online: the same W-gram of token ids occurring at least R times within the last L
/// tokens. Each W-gram is fingerprinted with a polynomial rolling hash (O(1) per token); a fingerprint match is
/// confirmed on the ids themselves, so a hash collision can never kill a row.
/// </summary>
public sealed class RepetitionDetector
{
    private const ulong Base = 1_000_003UL;
    private readonly int _window, _minRepeats, _lookback;
    private readonly ulong _basePowWindow;
    private readonly List<int> _ids = new();
    private readonly Dictionary<ulong, List<int>> _starts = new();   // fingerprint → start indices of its W-grams
    private ulong _hash;

    public RepetitionDetector(int window, int minRepeats, int lookback)
    {
        if (window < 1 || minRepeats < 2 || lookback < window)
            throw new ArgumentException($"need window >= 1, minRepeats >= 2 and lookback >= window (got {window}, {minRepeats}, {lookback})");
        (_window, _minRepeats, _lookback) = (window, minRepeats, lookback);
        _basePowWindow = 1;
        for (int i = 0; i < window; i++) _basePowWindow = unchecked(_basePowWindow * Base);
    }

    /// <summary>Adds a token; true when the W-gram it completes has now occurred <c>minRepeats</c> times within the lookback.</summary>
    public bool Push(int id)
    {
        _ids.Add(id);
        int n = _ids.Count;
        unchecked
        {
            _hash = _hash * Base + (ulong)(uint)id + 1;
            if (n > _window) _hash -= ((ulong)(uint)_ids[n - 1 - _window] + 1) * _basePowWindow;
        }
        if (n < _window) return false;
        int start = n - _window;
        if (!_starts.TryGetValue(_hash, out var starts)) _starts[_hash] = starts = new List<int>();
        starts.RemoveAll(s => s < n - _lookback);
        starts.Add(start);
        if (starts.Count < _minRepeats) return false;
        int same = starts.Count(s => SameGram(s, start));
        return same >= _minRepeats;
    }

    private bool SameGram(int a, int b)
    {
        for (int i = 0; i < _window; i++)
            if (_ids[a + i] != _ids[b + i]) return false;
        return true;
    }
}
