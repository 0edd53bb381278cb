using RlTrainer.Trainer.Evaluation;

namespace RlTrainer.Trainer.Tests.Evaluation;

public sealed class AverageAtKTests
{
    [Fact]
    public void Correctness_MeanOfTheFirstK()
    {
        Assert.Equal(0.75, AverageAtK.Score([true, false, true, true], 4));
        Assert.Equal(0.5, AverageAtK.Score([true, false, true, true], 2));
    }

    [Fact]
    public void Rewards_MeanOfTheFirstK() =>
        // (0.5 + 0.25 + 1) / 3
        Assert.Equal(0.5833333333333334, AverageAtK.Score([0.5, 0.25, 1.0, 0.0], 3), 12);

    [Fact]
    public void KOutOfRange_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => AverageAtK.Score([true], 0));
}
