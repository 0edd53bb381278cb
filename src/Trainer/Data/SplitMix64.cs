namespace RlTrainer.Trainer.Data;

/// <summary>
/// Steele, Lea and Flood's SplitMix64: a tiny seeded generator whose output is fixed by its definition. Used instead
/// of <see cref="Random"/> because seeded <see cref="Random"/> sequences are not promised to stay the same across
/// .NET versions, and committed data sets and shuffles must be reproducible.
/// </summary>
public sealed class SplitMix64(ulong seed)
{
    private const ulong Golden = 0x9E3779B97F4A7C15;
    private ulong _state = seed;

    /// <summary>A generator seeded from a signed seed, as options and the CLI give it.</summary>
    public SplitMix64(long seed) : this(unchecked((ulong)seed))
    {
    }

    /// <summary>The next 64 random bits.</summary>
    public ulong NextUInt64() => Mix(_state += Golden);

    /// <summary>Uniform in [min, max], both ends included (rejection sampling, so no modulo bias).</summary>
    public int Next(int min, int max)
    {
        if (max < min) throw new ArgumentOutOfRangeException(nameof(max), $"max {max} < min {min}");
        var span = (ulong)((long)max - min + 1);
        var limit = ulong.MaxValue - ulong.MaxValue % span;
        ulong draw;
        do draw = NextUInt64(); while (draw >= limit);
        return (int)(min + (long)(draw % span));
    }

    /// <summary>One element of a non-empty list, uniformly.</summary>
    public T Pick<T>(IReadOnlyList<T> items) => items[Next(0, items.Count - 1)];

    /// <summary>The SplitMix64 output function: a bijective 64-bit mixer, also used to hash (seed, epoch, row) keys.</summary>
    public static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EB;
        return z ^ (z >> 31);
    }
}
