using RlTrainer.Trainer.Objectives;

namespace RlTrainer.Trainer.Tests.Objectives;

public class LossNormalizerTests
{
    [Fact]
    public void ThrowIfInvalid_NamesTheCount()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new LossNormalizer(10, 0).ThrowIfInvalid());
        Assert.Equal("MicroBatchCount", ex.ParamName);
    }
}
