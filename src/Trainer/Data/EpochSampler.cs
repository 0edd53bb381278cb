namespace RlTrainer.Trainer.Data;

/// <summary>
/// Draws examples epoch after epoch, each epoch a permutation of all of them. The permutation sorts examples by a
/// seeded hash of (content identity, epoch), so the same seed and epoch give the same order however the rows are
/// spread over files. Its state is a <see cref="SamplerCursor"/> that can be saved and restored.
/// </summary>
public sealed class EpochSampler
{
    private readonly IReadOnlyList<RlExample> _examples;
    private readonly ulong[] _identities;
    private readonly long _seed;
    private readonly bool _shuffle;
    private int[] _order;
    private int _orderEpoch;

    /// <summary>A sampler at epoch 0, position 0.</summary>
    /// <param name="examples">The examples (in memory: prompts are small; the reader streams, the sampler permutes).</param>
    /// <param name="seed">The shuffle seed.</param>
    /// <param name="shuffle">False keeps the given order every epoch.</param>
    public EpochSampler(IReadOnlyList<RlExample> examples, long seed, bool shuffle = true)
    {
        if (examples.Count == 0) throw new ArgumentException("the data set has no examples to sample", nameof(examples));
        _examples = examples;
        _identities = examples.Select(ExampleIdentity.Hash).ToArray();
        _seed = seed;
        _shuffle = shuffle;
        _order = BuildOrder(0);
    }

    /// <summary>Examples per epoch.</summary>
    public int Count => _examples.Count;

    /// <summary>The next draw's epoch and position.</summary>
    public SamplerCursor Cursor { get; private set; }

    /// <summary>Continues from a saved cursor.</summary>
    public void Restore(SamplerCursor cursor)
    {
        if (cursor.Epoch < 0 || cursor.Position < 0 || cursor.Position > Count)
        {
            throw new ArgumentOutOfRangeException(nameof(cursor), cursor,
                $"the cursor does not fit a data set of {Count} examples (was it saved for other data?)");
        }

        Cursor = cursor.Position == Count ? new SamplerCursor(cursor.Epoch + 1, 0) : cursor;
    }

    /// <summary>The indices (into the constructor's list) in the order epoch <paramref name="epoch"/> visits them.</summary>
    public IReadOnlyList<int> Order(int epoch) => OrderFor(epoch);

    /// <summary>The next example; after the last of an epoch the next epoch starts.</summary>
    public RlExample Next()
    {
        var (epoch, position) = Cursor;
        var example = _examples[OrderFor(epoch)[position]];
        Cursor = position + 1 == Count ? new SamplerCursor(epoch + 1, 0) : new SamplerCursor(epoch, position + 1);
        return example;
    }

    /// <summary>The next <paramref name="count"/> examples, crossing into the next epoch where needed.</summary>
    public IReadOnlyList<RlExample> Next(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var batch = new RlExample[count];
        for (var i = 0; i < count; i++) batch[i] = Next();
        return batch;
    }

    private int[] OrderFor(int epoch)
    {
        if (epoch != _orderEpoch)
        {
            _order = BuildOrder(epoch);
            _orderEpoch = epoch;
        }

        return _order;
    }

    private int[] BuildOrder(int epoch)
    {
        var order = Enumerable.Range(0, Count).ToArray();
        if (!_shuffle) return order;
        var keys = _identities.Select(id => ExampleIdentity.Keyed(id, _seed, epoch)).ToArray();
        // Identical rows tie on the key; the original index breaks the tie so the order is total.
        Array.Sort(order, (a, b) => keys[a] != keys[b] ? keys[a].CompareTo(keys[b]) : a.CompareTo(b));
        return order;
    }
}
