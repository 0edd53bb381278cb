using RlTrainer.Rewards.Functions;
using RlTrainer.Rewards.Scoring;

namespace RlTrainer.Rewards.Tests.Scoring;

public class SyntheticCompletionCorpusTests
{
    [Fact]
    public void Generate_SameSeedSameCorpus_OtherSeedDiffers()
    {
        var a = SyntheticCompletionCorpus.Generate(64, 7);
        var b = SyntheticCompletionCorpus.Generate(64, 7);
        var c = SyntheticCompletionCorpus.Generate(64, 8);
        Assert.Equal(a.Select(x => x.Input.Completion), b.Select(x => x.Input.Completion));
        Assert.NotEqual(a.Select(x => x.Input.Completion), c.Select(x => x.Input.Completion));
    }

    [Fact]
    public void Generate_VerifierAgreesWithHowEachCompletionWasBuilt()
    {
        // Every completion is built correct or wrong (or truncated); the verifier must recover that label on all
        // formats of the corpus: "####", boxed fractions/roots/tuples/intervals/±/polynomials, phrases, <think>.
        var reward = new MathAccuracyReward();
        foreach (var item in SyntheticCompletionCorpus.Generate(800, 42))
        {
            var expected = item.BuiltCorrect == true ? 1.0 : 0.0;
            Assert.True(expected == reward.Score(item.Input), $"{item.BuiltCorrect}: {item.Input.Completion[^Math.Min(120, item.Input.Completion.Length)..]} | gold {item.Input.GroundTruth}");
        }
    }
}
