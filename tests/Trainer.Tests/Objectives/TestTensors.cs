using static TorchSharp.torch;

namespace RlTrainer.Trainer.Tests.Objectives;

/// <summary>float64 tensors from C# arrays and back, so tests compare to 1e-9 without float32 noise.</summary>
internal static class TestTensors
{
    public static Tensor Vec(params double[] v) => tensor(v, dtype: ScalarType.Float64);

    public static Tensor Mat(double[,] v) => tensor(v, dtype: ScalarType.Float64);

    /// <summary>A leaf (B,T) tensor that records gradients.</summary>
    public static Tensor Leaf(double[,] v) => tensor(v, dtype: ScalarType.Float64, requires_grad: true);

    public static double[] Values(Tensor t)
    {
        using var c = t.detach().to_type(ScalarType.Float64).contiguous().cpu();
        return c.data<double>().ToArray();
    }

    public static double Scalar(Tensor t)
    {
        using var c = t.detach().to_type(ScalarType.Float64);
        return c.item<double>();
    }

    public static void AllClose(IReadOnlyList<double> expected, IReadOnlyList<double> actual, double tol)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (int i = 0; i < expected.Count; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tol,
                $"element {i}: expected {expected[i]:R}, got {actual[i]:R} (tolerance {tol})");
    }

    /// <summary>Rows of a (B,T) array flattened row-major, matching <see cref="Values"/>.</summary>
    public static double[] Flat(double[,] v) => v.Cast<double>().ToArray();
}
