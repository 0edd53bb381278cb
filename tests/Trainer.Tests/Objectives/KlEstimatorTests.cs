using RlTrainer.Trainer.Objectives;
using static RlTrainer.Trainer.Tests.Objectives.TestTensors;
using static TorchSharp.torch;

namespace RlTrainer.Trainer.Tests.Objectives;

public class KlEstimatorTests
{
    [Fact]
    public void K3_SpecVectors_ValueAndGradient()
    {   // tools/reference/test_vectors_output.txt section 6; gradient 1 − exp(ℓ_q − ℓ): 1 − e^−0.5 = 0.393469340, 0, 1 − e^1.5 = −3.481689070
        using var lp = tensor(new[] { -1.0, -1.0, -2.0 }, dtype: ScalarType.Float64, requires_grad: true);
        using var lq = Vec(-1.5, -1.0, -0.5);
        using var k3 = KlEstimator.K3(lp, lq);
        AllClose(new[] { 0.106530660, 0.0, 1.981689070 }, Values(k3), 1e-9);
        using var s = k3.sum();
        s.backward();
        AllClose(new[] { 0.393469340, 0.0, -3.481689070 }, Values(lp.grad!), 1e-9);
    }

    [Fact]
    public void K3_ClampVariants_FollowEachCodeBase()
    {   // ℓ_q − ℓ = 15: TRL e^15 − 16; FeynRL e^10 − 16 (exponent clamped); verl e^15 − 16 → clamped to 10.
        // ℓ_q − ℓ = −25: FeynRL e^−10 + 24; verl clamps the log-ratio to −20: e^−20 + 19 → 10.
        using var lp = tensor(new[] { 0.0, 0.0 }, dtype: ScalarType.Float64, requires_grad: true);
        using var lq = Vec(15, -25);
        using var trl = KlEstimator.K3(lp, lq, K3Clamp.None);
        using var feyn = KlEstimator.K3(lp, lq, K3Clamp.FeynRl);
        using var verl = KlEstimator.K3(lp, lq, K3Clamp.Verl);
        Assert.Equal(3269001.3724721107, Values(trl)[0], 6);
        Assert.Equal(22010.465794806718, Values(feyn)[0], 8);
        Assert.Equal(24.000045399929763, Values(feyn)[1], 9);                  // e^−10 + 25 − 1
        AllClose(new[] { 10.0, 10.0 }, Values(verl), 1e-12);

        using var fs = feyn.sum();
        fs.backward();   // clamped exponent: only the linear term's +1 remains
        AllClose(new[] { 1.0, 1.0 }, Values(lp.grad!), 1e-12);
    }
}
