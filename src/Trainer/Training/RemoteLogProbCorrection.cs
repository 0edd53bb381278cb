using Microsoft.Extensions.Options;
using RlTrainer.Rollout.Model;
using RlTrainer.Trainer.Contracts;
using RlTrainer.Trainer.Engines;
using static TorchSharp.torch;

namespace RlTrainer.Trainer.Training;

/// <summary>
/// Step extension for engine rollouts: recomputes the behaviour log-probs with the trainer's own forward (the engine's
/// weights, kernels and precision differ), keeps the engine's as <see cref="RolloutSample.EngineLogProbs"/>, attaches
/// the importance weights, and measures the engine-vs-trainer gap and the rollouts sampled from stale weights. Idle
/// with the built-in sampler, and with asynchronous rollouts (Training:MaxStaleness &gt; 0), whose producer applies
/// <see cref="Correct"/> itself with its copy of the policy at the version that sampled the batch: the behaviour
/// log-probs then stay those of the sampling policy, so the objective sees the batch's staleness in its ratios and the
/// importance weights correct the engine mismatch alone, as at k = 0. With RolloutEngine:BehaviourLogProbs = Engine
/// nothing is recomputed: the engine's log-probs stay the behaviour log-probs and only the version metrics are added.
/// </summary>
public sealed class RemoteLogProbCorrection(IOptions<RolloutEngineOptions> engineOptions, IOptions<RolloutOptions> rollout,
    IOptions<TrainingOptions> training) : IStepExtension
{
    private readonly RolloutEngineOptions _options = engineOptions.Value;
    private CausalLm? _policy;

    public string Name => "remote_logprob_correction";

    /// Active with engine rollouts at k = 0; at k &gt; 0 the producer corrects its batches itself.
    public void Attach(TrainingRun run) => _policy = run.Engine.IsRemote && training.Value.MaxStaleness == 0 ? run.Policy : null;

    /// Rollouts of step <paramref name="step"/> should come from the weights after <paramref name="step"/> training steps.
    public RolloutBatch AfterRollout(RolloutBatch batch, int step, CancellationToken ct) => _policy is null ? batch : Apply(batch, step);

    internal RolloutBatch Apply(RolloutBatch batch, int version) =>
        Correct(_policy!, batch, version, _options, training.Value.MicroBatchSize, rollout.Value.Temperature);

    /// <summary>The batch with its behaviour log-probs recomputed by <paramref name="policy"/>, the engine's kept, the
    /// importance weights attached and the remote/… metrics added; with BehaviourLogProbs = Engine, the batch as the
    /// engines returned it, with the stale-rollout and version metrics alone.</summary>
    /// <param name="version">The policy version the rollouts should have come from (training steps completed), which
    /// <paramref name="policy"/> holds.</param>
    public static RolloutBatch Correct(CausalLm policy, RolloutBatch batch, int version, RolloutEngineOptions options,
        int microBatchSize, double temperature)
    {
        var samples = batch.Samples;
        if (options.BehaviourLogProbs == BehaviourLogProbSource.Engine)
            return batch with { Extra = WithVersionMetrics(new Dictionary<string, double>(batch.Extra), samples, version) };
        var trainer = Recompute(policy, samples, microBatchSize, temperature);
        double gapSum = 0, gapMax = 0, weightSum = 0;
        long tokens = 0, zeroed = 0;
        var corrected = new List<RolloutSample>(samples.Count);
        for (int i = 0; i < samples.Count; i++)
        {
            var s = samples[i];
            var engine = s.BehaviourLogProbs;
            var weights = ImportanceCorrection.Weights(trainer[i], engine, options.Correction, options.CorrectionMax, options.CorrectionMin);
            for (int t = 0; t < engine.Count; t++)
            {
                if (s.LossMask is { } trained && !trained[t]) continue;   // injected (a tool turn): no engine log-prob
                double gap = Math.Abs((double)trainer[i][t] - engine[t]);
                gapSum += gap;
                gapMax = Math.Max(gapMax, gap);
                weightSum += weights[t];
                if (weights[t] == 0f) zeroed++;
            }
            tokens += s.LossMask?.Count(m => m) ?? engine.Count;
            corrected.Add(s with { BehaviourLogProbs = trainer[i], EngineLogProbs = engine, IsWeights = weights });
        }
        var extra = new Dictionary<string, double>(batch.Extra)
        {
            ["remote/logprob_gap_mean"] = gapSum / Math.Max(1, tokens),
            ["remote/logprob_gap_max"] = gapMax,
            ["remote/is_weight_mean"] = tokens == 0 ? 1 : weightSum / tokens,
            ["remote/is_zeroed_fraction"] = tokens == 0 ? 0 : (double)zeroed / tokens,
        };
        return batch with { Samples = corrected, Extra = WithVersionMetrics(extra, samples, version) };
    }

    /// Adds the rollouts sampled by weights older than <paramref name="version"/> and the version itself.
    private static Dictionary<string, double> WithVersionMetrics(Dictionary<string, double> extra, IReadOnlyList<RolloutSample> samples, int version)
    {
        extra["remote/stale_rollouts"] = samples.Count(s => s.WeightVersion < version);
        extra["remote/weight_version"] = version;
        return extra;
    }

    /// Teacher-forced log-probs of every completion under the current policy, no gradient, in micro-batches.
    private static float[][] Recompute(CausalLm policy, IReadOnlyList<RolloutSample> samples, int microBatchSize, double temperature)
    {
        var result = new float[samples.Count][];
        var dev = policy.Device.Device;
        using var noGrad = no_grad();
        for (int start = 0; start < samples.Count; start += microBatchSize)
        {
            using var scope = NewDisposeScope();
            var rows = samples.Skip(start).Take(microBatchSize).ToList();
            var padded = RightPaddedBatch.Of(rows);
            if (padded.Length < 2) { for (int i = 0; i < rows.Count; i++) result[start + i] = new float[rows[i].CompletionIds.Count]; continue; }
            var (ids, mask) = padded.Tokens(dev);
            // Only the positions that predict completion tokens reach the lm_head: the prompts' logits are never read.
            var completion = padded.PerContinuationToken((_, _) => 1f, dev);                                    // (b, T−1)
            var logp = TokenLogProbs.Compute(policy, ids, mask, temperature, completion);                        // (b, T−1)
            var flat = logp.to(ScalarType.Float32).cpu().data<float>().ToArray();
            for (int i = 0; i < rows.Count; i++) result[start + i] = padded.ContinuationOf(flat, i);
        }
        return result;
    }
}
