using RlTrainer.Trainer.Evaluation;

namespace RlTrainer.Trainer.Tests.Evaluation;

public sealed class MajorityAtKTests
{
    [Fact]
    public void ClearMajority_Correct_Scores1() =>
        Assert.Equal(1.0, MajorityAtK.Score(["4", "5", "4"], [true, false, true], 3));

    [Fact]
    public void ClearMajority_Wrong_Scores0() =>
        Assert.Equal(0.0, MajorityAtK.Score(["5", "4", "5", "5"], [false, true, false, false], 4));

    [Fact]
    public void Tie_GoesToTheAnswerSeenFirst()
    {
        // "4" and "5" both have two votes; "4" appeared first (sample 0).
        Assert.Equal(1.0, MajorityAtK.Score(["4", "5", "5", null, "4"], [true, false, false, false, true], 5));
        // Same votes, "5" first.
        Assert.Equal(0.0, MajorityAtK.Score(["5", "4", "4", null, "5"], [false, true, true, false, false], 5));
    }

    [Fact]
    public void OnlyTheFirstKSamplesVote() =>
        // First two: "5" once, "4" once → tie → "5" (first). All five: "4" wins 3 to 2.
        Assert.Equal((0.0, 1.0), (
            MajorityAtK.Score(["5", "4", "4", "4", "5"], [false, true, true, true, false], 2),
            MajorityAtK.Score(["5", "4", "4", "4", "5"], [false, true, true, true, false], 5)));

    [Fact]
    public void MissingAnswersDoNotVote()
    {
        Assert.Equal(1.0, MajorityAtK.Score([null, null, "7"], [false, false, true], 3));
        Assert.Equal(0.0, MajorityAtK.Score([null, null], [false, false], 2));
    }

    [Fact]
    public void MismatchedLengthsOrK_Throw()
    {
        Assert.Throws<ArgumentException>(() => MajorityAtK.Score(["1"], [true, false], 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => MajorityAtK.Score(["1"], [true], 2));
    }
}
