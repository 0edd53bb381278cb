using RlTrainer.Trainer.Objectives;
using static RlTrainer.Trainer.Tests.Objectives.TestTensors;
using static TorchSharp.torch;

namespace RlTrainer.Trainer.Tests.Objectives;

public class LossNormalizerTests
{
    [Fact]
    public void FromMasks_CountsMaskOnTokensOfEveryMicroBatch()
    {
        using var a = Mat(new double[,] { { 1, 1, 0 }, { 1, 0, 0 } });
        using var b = tensor(new[,] { { true, true, true } });
        var n = LossNormalizer.FromMasks(new[] { a, b }, maxCompletionLength: 3);
        Assert.Equal(new LossNormalizer(6, 2, 3), n);
    }

    [Fact]
    public void ThrowIfInvalid_NamesTheCount()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new LossNormalizer(10, 0).ThrowIfInvalid());
        Assert.Equal("MicroBatchCount", ex.ParamName);
    }
}
