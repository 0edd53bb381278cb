using RlTrainer.Trainer.Data;

namespace RlTrainer.Trainer.Contracts;

/// <summary>
/// Deterministic per-completion seeds: a pure function of (run seed, step, row), so a resumed run samples exactly
/// what an uninterrupted one would, and no RNG state needs checkpointing. (HashCode.Combine is randomised per process.)
/// </summary>
public static class SampleSeeds
{
    public static int For(long runSeed, long step, long row)
    {
        ulong h = SplitMix64.Mix(unchecked((ulong)runSeed) ^ 0x9E3779B97F4A7C15UL);
        h = SplitMix64.Mix(h ^ unchecked((ulong)step));
        h = SplitMix64.Mix(h ^ unchecked((ulong)row));
        return (int)(h & int.MaxValue);
    }
}
