using TorchSharp;

namespace RlTrainer.Rollout.Model;

/// <summary>
/// Process-wide Scalars for the integer constants TorchSharp would otherwise convert implicitly on every call: the
/// alpha of <c>a + b</c> (<c>a.add(b, One)</c>), the exponent of <c>square()</c> (<c>pow(Two)</c>), the ends of an
/// <c>arange</c>. An implicitly converted Scalar is left to the finalizer, which may free it while libtorch still
/// reads it ("Unknown scalar type"); these live as long as the process and are only read, so threads may share them.
/// </summary>
public static class FixedScalars
{
    public static readonly Scalar Zero = 0.ToScalar();
    public static readonly Scalar One = 1.ToScalar();
    public static readonly Scalar Two = 2.ToScalar();
}
