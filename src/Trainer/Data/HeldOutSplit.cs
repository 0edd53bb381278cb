namespace RlTrainer.Trainer.Data;

/// <summary>
/// Splits examples into train and held-out by a seeded hash of each example's content: a row lands on the same side
/// whatever file or position it comes from, and duplicated rows never straddle the split.
/// </summary>
public static class HeldOutSplit
{
    /// <summary>Whether the example is held out: its seeded key, as a fraction of 2^64, is below <paramref name="fraction"/>.</summary>
    public static bool IsHeldOut(RlExample example, double fraction, long seed)
    {
        if (fraction is < 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(fraction), fraction, "must be in [0, 1)");
        var key = ExampleIdentity.Keyed(ExampleIdentity.Hash(example), seed, stream: -1);
        return key / 18446744073709551616.0 < fraction;
    }

    /// <summary>Train and held-out lists, each in the input's order.</summary>
    public static (List<RlExample> Train, List<RlExample> HeldOut) Split(IEnumerable<RlExample> examples, double fraction, long seed)
    {
        var train = new List<RlExample>();
        var heldOut = new List<RlExample>();
        foreach (var example in examples) (IsHeldOut(example, fraction, seed) ? heldOut : train).Add(example);
        return (train, heldOut);
    }
}
