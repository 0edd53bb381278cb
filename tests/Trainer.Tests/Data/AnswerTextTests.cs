using RlTrainer.Trainer.Data;

namespace RlTrainer.Trainer.Tests.Data;

/// <summary>Tests of <see cref="Gsm8kAnswer"/>.</summary>
public sealed class AnswerTextTests
{
    [Theory]
    [InlineData("a\n#### 72", "72")]
    [InlineData("x\n#### 1,234,567", "1234567")]
    [InlineData("#### -5", "-5")]
    [InlineData("#### 3 ####  8 ", "8")]
    [InlineData("no final line", null)]
    [InlineData("####   ", null)]
    public void Gsm8kGroundTruth(string answer, string? expected) => Assert.Equal(expected, Gsm8kAnswer.GroundTruth(answer));

    [Fact]
    public void Gsm8kTarget_DropsAnnotations_BoxesTheFinalNumber()
    {
        Assert.Equal("She sold 48/2 = 24 clips.\nIn all 48+24 = 72.\n\\boxed{72}",
            Gsm8kAnswer.Target("She sold 48/2 = <<48/2=24>>24 clips.\nIn all 48+24 = <<48+24=72>>72.\n#### 72"));
        Assert.Equal("\\boxed{7}", Gsm8kAnswer.Target("#### 7"));
    }
}
