using RlTrainer.Trainer.Data;

namespace RlTrainer.Trainer.Tests.Data;

public sealed class SplitMix64Tests
{
    [Fact]
    public void NextUInt64_Seed1234567_MatchesTheReferenceSequence()
    {
        // Published reference outputs of splitmix64.c for seed 1234567 (Rosetta Code, "Pseudo-random numbers/Splitmix64").
        var random = new SplitMix64(1234567UL);

        Assert.Equal(
            [6457827717110365317UL, 3203168211198807973UL, 9817491932198370423UL, 4593380528125082431UL, 16408922859458223821UL],
            Enumerable.Range(0, 5).Select(_ => random.NextUInt64()));
    }

    [Fact]
    public void Next_StaysInRangeAndHitsBothEnds()
    {
        var random = new SplitMix64(7L);
        var draws = Enumerable.Range(0, 2000).Select(_ => random.Next(3, 6)).ToList();

        Assert.All(draws, d => Assert.InRange(d, 3, 6));
        Assert.Equal([3, 4, 5, 6], draws.Distinct().Order());
    }
}
