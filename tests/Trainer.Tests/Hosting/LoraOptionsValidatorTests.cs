using RlTrainer.Trainer.Hosting;
using RlTrainer.Trainer.Training;

namespace RlTrainer.Trainer.Tests.Hosting;

public class LoraOptionsValidatorTests
{
    private static Microsoft.Extensions.Options.ValidateOptionsResult Validate(bool enabled, params string[] targets) =>
        new LoraOptionsValidator().Validate(null, new LoraOptions { Enabled = enabled, TargetModules = targets.ToList() });

    [Fact]
    public void AnUnknownTargetModule_FailsAtStart_NamingTheKeyAndTheAllowedNames()
    {
        var result = Validate(true, "q_proj", "qproj");
        Assert.True(result.Failed);
        Assert.StartsWith("Model:Lora:TargetModules: LoRA target module 'qproj' is not one of q_proj, k_proj", result.FailureMessage);
    }

    [Theory]
    [InlineData]                                  // empty: the attention projections
    [InlineData("all-linear")]
    [InlineData("q_proj", "down_proj")]
    public void KnownTargets_Pass(params string[] targets) => Assert.True(Validate(true, targets).Succeeded);

    [Fact]
    public void WithLoraOff_TheTargetsAreNotRead() => Assert.True(Validate(false, "qproj").Succeeded);
}
