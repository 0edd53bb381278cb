namespace RlTrainer.Rewards.Weighting;

/// <summary>
/// The DRW-HV buffer (docs/algorithms.md#hypervolume-weighting): element 0 is the reference point (the initial model's validation means),
/// the rest are the later validation points that enlarged the hypervolume. Points are stored in the tracked components' own
/// units and orientation; minimised coordinates are negated only when the hypervolume is computed. Dominated points
/// are never pruned, as in the DRW code: pruning would not change the hypervolume.
/// </summary>
public sealed class ParetoBuffer
{
    private readonly List<double[]> _points = new();

    public ParetoBuffer(IReadOnlyList<ComponentDirection> directions)
    {
        if (directions.Count == 0) throw new ArgumentException("at least one tracked component is needed", nameof(directions));
        Directions = directions.ToArray();
    }

    public IReadOnlyList<ComponentDirection> Directions { get; }

    /// <summary>Reference first, then the improving points, in the order they were added.</summary>
    public IReadOnlyList<double[]> Points => _points;

    public bool HasReference => _points.Count > 0;

    /// <summary>Starts the buffer with the reference point (clears any earlier content).</summary>
    public void SetReference(double[] point)
    {
        Check(point);
        _points.Clear();
        _points.Add((double[])point.Clone());
    }

    /// <summary>ΔHV = max(HV(B ∪ {p}) − HV(B), 0) against the reference, without changing the buffer.</summary>
    /// <exception cref="InvalidOperationException">when no reference point has been set.</exception>
    public double Gain(double[] point)
    {
        Check(point);
        if (!HasReference) throw new InvalidOperationException("the Pareto buffer has no reference point yet");
        var reference = Orient(_points[0]);
        var front = _points.Skip(1).Select(Orient).ToList();
        double before = Hypervolume.Compute(front, reference);
        front.Add(Orient(point));
        return Math.Max(Hypervolume.Compute(front, reference) - before, 0.0);
    }

    /// <summary>Computes the gain of <paramref name="point"/> and keeps the point when the gain is positive.</summary>
    public double Offer(double[] point)
    {
        double gain = Gain(point);
        if (gain > 0) _points.Add((double[])point.Clone());
        return gain;
    }

    /// <summary>Replaces the content (checkpoint restore); the first point is the reference.</summary>
    public void Restore(IEnumerable<double[]> points)
    {
        var list = points.ToList();
        foreach (var p in list) Check(p);
        _points.Clear();
        _points.AddRange(list.Select(p => (double[])p.Clone()));
    }

    private double[] Orient(double[] p) =>
        p.Select((x, d) => Directions[d] == ComponentDirection.Maximize ? x : -x).ToArray();

    private void Check(double[] point)
    {
        if (point.Length != Directions.Count)
            throw new ArgumentException($"expected {Directions.Count} component values, got {point.Length}", nameof(point));
        if (point.Any(x => !double.IsFinite(x))) throw new ArgumentException("component values must be finite", nameof(point));
    }
}
