using RlTrainer.Trainer.Optimization;

namespace RlTrainer.Trainer.Tests.Optimization;

public class LrScheduleTests
{
    [Theory]
    // warm-up 4 of 20 steps: 0, .25, .5, .75, then the shape
    [InlineData(LrScheduleKind.Linear, 0, 0.0)]
    [InlineData(LrScheduleKind.Linear, 2, 0.5)]
    [InlineData(LrScheduleKind.Linear, 4, 1.0)]
    [InlineData(LrScheduleKind.Linear, 12, 0.5)]     // (20 − 12) / (20 − 4)
    [InlineData(LrScheduleKind.Linear, 20, 0.0)]
    [InlineData(LrScheduleKind.Cosine, 12, 0.5)]     // ½(1 + cos(π/2))
    [InlineData(LrScheduleKind.Cosine, 8, 0.8535533905932737)] // ½(1 + cos(π/4))
    [InlineData(LrScheduleKind.Constant, 15, 1.0)]
    public void Multiplier_MatchesHand(LrScheduleKind kind, int step, double expected) =>
        Assert.Equal(expected, LrSchedule.Multiplier(kind, step, 20, 4), 12);

    [Fact]
    public void Cosine_StopsAtTheFloor() =>
        Assert.Equal(0.1, LrSchedule.Multiplier(LrScheduleKind.Cosine, 20, 20, 0, 0.1), 12);
}
