using RlTrainer.Trainer.Contracts;
using RlTrainer.Trainer.Engines;
using RlTrainer.Trainer.Training;

namespace RlTrainer.Trainer.Tests.Engines;

/// <summary>What <see cref="RemoteLogProbCorrection.Correct"/> makes of an engine batch under each behaviour source.</summary>
public class RemoteLogProbCorrectionTests
{
    // Log-probs no model of this vocabulary would give these tokens by chance (a random model gives ≈ −ln 512 ≈ −6.2).
    private static readonly float[] Served = [-0.25f, -1.5f, -0.75f];

    private static RolloutBatch EngineBatch()
    {
        RolloutSample S(int group, int version) => new()
        {
            Group = group, PromptIds = [1, 2, 3], CompletionIds = [10, 11, 12], BehaviourLogProbs = Served, Reward = 1,
            WeightVersion = version,
        };
        return new RolloutBatch { Samples = [S(0, 4), S(0, 5), S(1, 5), S(1, 5)], GroupSize = 2 };
    }

    [Fact]
    public void EngineSource_KeepsTheServedLogProbs_WithoutWeights_AndCountsStaleRollouts()
    {
        using var policy = FakeEngines.Policy();
        var options = new RolloutEngineOptions { BehaviourLogProbs = BehaviourLogProbSource.Engine, Correction = IsCorrectionMode.None };
        var batch = RemoteLogProbCorrection.Correct(policy, EngineBatch(), version: 5, options, microBatchSize: 2, temperature: 1.0);
        Assert.All(batch.Samples, s =>
        {
            Assert.Equal(Served, s.BehaviourLogProbs);
            Assert.Null(s.IsWeights);
            Assert.Null(s.EngineLogProbs);
        });
        Assert.Equal(1, batch.Extra["remote/stale_rollouts"]);
        Assert.Equal(5, batch.Extra["remote/weight_version"]);
        Assert.False(batch.Extra.ContainsKey("remote/logprob_gap_max"));   // nothing recomputed, no gap to measure
    }

    [Fact]
    public void TrainerSource_ReplacesThemWithThePolicysOwn_AndKeepsTheServedAsEngineLogProbs()
    {
        using var policy = FakeEngines.Policy();
        var options = new RolloutEngineOptions { Correction = IsCorrectionMode.TokenTruncate, CorrectionMax = 3.0 };
        var batch = RemoteLogProbCorrection.Correct(policy, EngineBatch(), version: 5, options, microBatchSize: 2, temperature: 1.0);
        Assert.All(batch.Samples, s =>
        {
            Assert.Equal(Served, s.EngineLogProbs);
            // A random 512-token model spreads its mass: every recomputed log-prob is far below the served ones.
            Assert.All(s.BehaviourLogProbs, l => Assert.InRange(l, -12f, -3f));
            // ρ_t = exp(ℓ_trainer − ℓ_engine) ≪ 1 here, so no token reaches the cap.
            for (int t = 0; t < 3; t++) Assert.Equal(Math.Exp(s.BehaviourLogProbs[t] - Served[t]), s.IsWeights![t], 1e-5);
        });
        Assert.True(batch.Extra["remote/logprob_gap_max"] > 2);
        Assert.Equal(1, batch.Extra["remote/stale_rollouts"]);
    }

    [Fact]
    public void EngineSource_WithACorrection_IsANamedErrorAtStart()
    {
        var options = new RolloutEngineOptions
        {
            Kind = RolloutEngineKind.Remote, Urls = { "http://127.0.0.1:8000" }, BehaviourLogProbs = BehaviourLogProbSource.Engine,
        };
        var errors = options.Validate(new System.ComponentModel.DataAnnotations.ValidationContext(options)).ToList();
        var error = Assert.Single(errors);
        Assert.Equal("Correction", Assert.Single(error.MemberNames));
        Assert.Contains("SequenceMask", error.ErrorMessage);
        Assert.Contains("BehaviourLogProbs = Engine", error.ErrorMessage);
        options.Correction = IsCorrectionMode.None;
        Assert.Empty(options.Validate(new System.ComponentModel.DataAnnotations.ValidationContext(options)));
    }
}
