using TorchSharp;
using static TorchSharp.torch;

namespace RlTrainer.Rollout.Tests;

/// Proves the native library loads on this machine (the GLIBCXX weak-flag fix in build/) and computes.
public class TorchSharpLoadTests
{
    [Fact]
    public void MatMul_TwoByTwo_MatchesHand()
    {
        using var a = tensor(new float[] { 1, 2, 3, 4 }).reshape(2, 2);
        using var b = tensor(new float[] { 5, 6, 7, 8 }).reshape(2, 2);
        using var c = a.matmul(b);
        // [[1*5+2*7, 1*6+2*8], [3*5+4*7, 3*6+4*8]] = [[19, 22], [43, 50]]
        Assert.Equal(new float[] { 19, 22, 43, 50 }, c.data<float>().ToArray());
    }
}
