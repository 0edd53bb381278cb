using RlTrainer.Rollout.Model;

namespace RlTrainer.Rollout.Tests.Model;

public class LoraConfigTests
{
    [Fact]
    public void Defaults_AreTheAttentionProjections_AndScalingIsAlphaOverRank()
    {
        var c = new LoraConfig();
        Assert.Equal(new[] { "q_proj", "k_proj", "v_proj", "o_proj" }, c.ResolvedTargets());
        Assert.Equal(2.0, c.Scaling);                                        // 32 / 16
        Assert.Equal(0.75, new LoraConfig { Rank = 8, Alpha = 6 }.Scaling);
    }

    [Fact]
    public void AllLinear_MeansTheSevenProjections_InModelOrder()
    {
        Assert.Equal(new[] { "q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj" },
            new LoraConfig { TargetModules = ["all-linear"] }.ResolvedTargets());
        Assert.Equal(new[] { "q_proj", "v_proj", "down_proj" },
            new LoraConfig { TargetModules = ["down_proj", "v_proj", "q_proj", "v_proj"] }.ResolvedTargets());
    }

    [Theory]
    [InlineData("lm_head")]
    [InlineData("self_attn.q_proj")]
    [InlineData("Q_PROJ")]
    public void UnknownTarget_NamesItAndTheAllowedOnes(string bad)
    {
        var e = Assert.Throws<ArgumentException>(() => new LoraConfig { TargetModules = ["q_proj", bad] }.ResolvedTargets());
        Assert.Contains($"'{bad}'", e.Message);
        Assert.Contains("q_proj, k_proj, v_proj, o_proj, gate_proj, up_proj, down_proj", e.Message);
        Assert.Contains("all-linear", e.Message);
    }

    [Fact]
    public void AllLinearBesideOtherNames_OrNoTargets_AreErrors()
    {
        Assert.Throws<ArgumentException>(() => new LoraConfig { TargetModules = ["all-linear", "q_proj"] }.ResolvedTargets());
        Assert.Throws<ArgumentException>(() => new LoraConfig { TargetModules = [] }.ResolvedTargets());
    }

    [Theory]
    [InlineData(0, 32, 0, "rank (r) is 0")]
    [InlineData(8, 0, 0, "alpha (lora_alpha) is 0")]
    [InlineData(8, 16, 1, "dropout (lora_dropout) is 1")]
    [InlineData(8, 16, -0.1, "dropout (lora_dropout) is -0.1")]
    public void Validate_NamesTheFieldAndValue(int rank, double alpha, double dropout, string message)
    {
        var e = Assert.Throws<ArgumentException>(() => new LoraConfig { Rank = rank, Alpha = alpha, Dropout = dropout }.Validate());
        Assert.Contains(message, e.Message);
    }
}
