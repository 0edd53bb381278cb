using RlTrainer.Trainer.Training;
using static TorchSharp.torch;
using RlTrainer.Trainer.Contracts;

namespace RlTrainer.Trainer.Tests.Contracts;

public class RightPaddedBatchTests
{
    [Fact]
    public void Rows_AreRightPadded_AndContinuationValuesSitWhereTheirTokensArePredicted()
    {
        var batch = new RightPaddedBatch([[5, 6], [7]], [[8, 9, 10], [11]]);
        Assert.Equal((2, 5), (batch.Rows, batch.Length));
        using var scope = NewDisposeScope();
        var (ids, mask) = batch.Tokens(CPU);
        Assert.Equal(new long[] { 5, 6, 8, 9, 10, 7, 11, 0, 0, 0 }, ids.data<long>().ToArray());
        Assert.Equal(new[] { true, true, true, true, true, true, true, false, false, false }, mask.data<bool>().ToArray());
        // Row 0: prompt of 2, token j at position 1 + j; row 1: prompt of 1, token 0 at position 0.
        var values = batch.PerContinuationToken((i, j) => 10 * (i + 1) + j, CPU);
        Assert.Equal(new long[] { 2, 4 }, values.shape);
        var flat = values.data<float>().ToArray();
        Assert.Equal(new float[] { 0, 10, 11, 12, 20, 0, 0, 0 }, flat);
        Assert.Equal(new float[] { 10, 11, 12 }, batch.ContinuationOf(flat, 0));
        Assert.Equal(new float[] { 20 }, batch.ContinuationOf(flat, 1));
    }

    [Fact]
    public void ContinuationWithoutPrompt_ItsFirstTokenIsPredictedByNothing()
    {
        var batch = new RightPaddedBatch([[]], [[3, 4]]);
        using var values = batch.PerContinuationToken((_, _) => 1f, CPU);
        Assert.Equal(new float[] { 1 }, values.data<float>().ToArray());
    }
}
