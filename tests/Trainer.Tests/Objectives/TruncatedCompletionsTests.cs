using RlTrainer.Trainer.Objectives;
using static RlTrainer.Trainer.Tests.Objectives.TestTensors;
using static TorchSharp.torch;

namespace RlTrainer.Trainer.Tests.Objectives;

public class TruncatedCompletionsTests
{
    [Fact]
    public void Mask_ZeroesTruncatedRowsOnly()
    {
        using var m = Mat(new double[,] { { 1, 1, 0 }, { 1, 1, 1 }, { 1, 0, 0 } });
        using var masked = TruncatedCompletions.Mask(m, new[] { false, true, false });
        AllClose(new double[] { 1, 1, 0, 0, 0, 0, 1, 0, 0 }, Values(masked), 0);
        Assert.Equal(ScalarType.Float64, masked.dtype);
    }

    [Fact]
    public void Mask_BoolMask_StaysBool()
    {
        using var m = ones(2, 2, dtype: ScalarType.Bool);
        using var masked = TruncatedCompletions.Mask(m, new[] { true, false });
        Assert.Equal(ScalarType.Bool, masked.dtype);
        Assert.Equal(2L, masked.sum().item<long>());
    }

    [Fact]
    public void Mask_WrongFlagCount_Throws()
    {
        using var m = ones(2, 2);
        Assert.Throws<ArgumentException>(() => TruncatedCompletions.Mask(m, new[] { true }));
    }
}
