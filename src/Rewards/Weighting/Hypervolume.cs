namespace RlTrainer.Rewards.Weighting;

/// <summary>
/// Dominated hypervolume of a point set for maximisation (docs/algorithms.md#hypervolume-weighting): the measure of the region that some
/// point dominates and that dominates the reference point. Each point is first clipped to the reference, so a point
/// worse than the reference in any coordinate adds nothing (the standard definition; the DRW code's 1-D base case can
/// go negative instead). Recursive slicing (Fonseca et al. 2006): cost grows fast with the dimension, which is fine
/// for the 2–4 tracked reward components and few dozen buffered checkpoints this is used for.
/// </summary>
public static class Hypervolume
{
    /// <exception cref="ArgumentException">when a point's length differs from the reference's or a value is not finite.</exception>
    public static double Compute(IReadOnlyList<double[]> points, double[] reference)
    {
        if (reference.Length == 0) throw new ArgumentException("the reference point needs at least one coordinate", nameof(reference));
        foreach (var p in points)
        {
            if (p.Length != reference.Length)
                throw new ArgumentException($"point of {p.Length} coordinates against a reference of {reference.Length}", nameof(points));
            if (p.Any(x => !double.IsFinite(x))) throw new ArgumentException("points must be finite", nameof(points));
        }
        if (reference.Any(x => !double.IsFinite(x))) throw new ArgumentException("the reference must be finite", nameof(reference));
        return Slice(points.Where(p => StrictlyBeyond(p, reference)).ToList(), reference, 0);
    }

    private static bool StrictlyBeyond(double[] p, double[] reference)
    {
        for (int d = 0; d < p.Length; d++) if (!(p[d] > reference[d])) return false;
        return true;
    }

    // Hypervolume of the points' coordinates from `dim` on; every point is already strictly beyond the reference there.
    private static double Slice(List<double[]> points, double[] reference, int dim)
    {
        if (points.Count == 0) return 0;
        if (dim == reference.Length - 1) return points.Max(p => p[dim]) - reference[dim];
        var sorted = points.OrderBy(p => p[dim]).ToList();
        double total = 0, lower = reference[dim];
        for (int i = 0; i < sorted.Count; i++)
        {
            double x = sorted[i][dim];
            if (x <= lower) continue;
            // Between `lower` and x, every point from i on covers the slab; its lower-dimensional volume is theirs.
            total += (x - lower) * Slice(sorted.GetRange(i, sorted.Count - i), reference, dim + 1);
            lower = x;
        }
        return total;
    }
}
