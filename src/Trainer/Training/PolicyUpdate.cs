using System.Diagnostics;
using RlTrainer.Rollout.Model;
using RlTrainer.Trainer.Hosting;
using RlTrainer.Trainer.Objectives;
using RlTrainer.Trainer.Optimization;
using Parameter = TorchSharp.Modules.Parameter;
using static TorchSharp.torch;
using RlTrainer.Trainer.Contracts;

namespace RlTrainer.Trainer.Training;

/// <summary>
/// advantage → loss → step: group advantages from the rewards, then μ passes over the rollout batch, each one
/// optimizer step with gradients accumulated over shuffled micro-batches and the step's global token count as the
/// loss normaliser. The advantages come from <paramref name="estimator"/> (group normalisation when null).
/// </summary>
public sealed partial class PolicyUpdate(CausalLm policy, CausalLm? reference, IPolicyObjective objective, optim.Optimizer optimizer,
    OptimizerOptions optimizerOptions, TrainingOptions training, GroupAdvantageOptions advantage, RolloutOptions rollout,
    bool reuseBehaviourAsOld, AdvantageEstimator? estimator = null)
{
    private readonly AdvantageEstimator _estimator = estimator ?? new AdvantageEstimator(advantage);
    private readonly List<Parameter> _parameters = policy.parameters().ToList();

    /// <param name="step">Training step (0-based); optimizer steps are step·μ + pass.</param>
    /// <param name="extra">Losses and per-sample policy-gradient weights of replay, or null.</param>
    public UpdateStats Run(RolloutBatch batch, int step, int totalTrainingSteps, IUpdateContribution? extra = null)
    {
        var sw = Stopwatch.StartNew();
        var samples = batch.Samples;
        var advantages = _estimator.Compute(batch);                                                      // (B,)

        int micro = training.MicroBatchSize;
        int microCount = (samples.Count + micro - 1) / micro;
        long trainedTokens = TrainedTokens(samples);
        var normalizer = new LossNormalizer(Math.Max(1, trainedTokens), microCount, rollout.MaxNewTokens);

        var sums = new Dictionary<string, double>();
        double lr = 0, gradNorm = 0, weight = 0;
        policy.train();
        for (int pass = 0; pass < training.NumIterations; pass++)
        {
            var weights = extra?.BeginPass(pass);
            var order = Enumerable.Range(0, samples.Count).ToArray();
            new Random(SampleSeeds.For(training.Seed, step, pass)).Shuffle(order);
            for (int start = 0; start < order.Length; start += micro)
            {
                using var scope = NewDisposeScope();
                var rows = order.Skip(start).Take(micro).Select(i => samples[i]).ToList();
                var rowAdv = order.Skip(start).Take(micro).Select(i => advantages[i] * (weights?[i] ?? 1.0)).ToArray();
                var result = MicroBatchLoss(rows, rowAdv, normalizer);
                double loss = result.Loss.item<float>();
                if (!double.IsFinite(loss))  // before backward and the optimizer step: pass 0 leaves the weights as they were
                    throw new NonFiniteValueException(step + 1, $"the loss (pass {pass + 1}, micro-batch {start / micro + 1})", loss, pass == 0);
                result.Loss.backward();
                double tokens = TrainedTokens(rows);
                foreach (var (k, v) in result.Metrics) sums[k] = sums.GetValueOrDefault(k) + v * tokens;
                weight += tokens;
            }
            try
            {
                (lr, gradNorm) = AdamWFactory.Step(optimizer, _parameters, optimizerOptions,
                    step * training.NumIterations + pass, totalTrainingSteps * training.NumIterations);
            }
            catch (NotFiniteNumberException e)
            {
                throw new NonFiniteValueException(step + 1, $"the gradient norm (pass {pass + 1})", e.OffendingNumber, pass == 0);
            }
        }
        policy.eval();
        var metrics = sums.ToDictionary(kv => kv.Key, kv => kv.Value / Math.Max(1, weight));
        var finite = advantages.Where(double.IsFinite).DefaultIfEmpty(0).ToArray();
        var moments = RlTrainer.Rewards.Mixing.GroupMoments.Of(finite);
        return new UpdateStats(metrics, lr, gradNorm, trainedTokens * training.NumIterations, sw.Elapsed.TotalSeconds,
            moments.Mean, moments.Std(unbiased: false), finite.Max(Math.Abs));
    }

    private ObjectiveResult MicroBatchLoss(List<RolloutSample> rows, double[] advantages, LossNormalizer normalizer)
    {
        var dev = policy.Device.Device;
        var (ids, mask, completionMask, behaviour) = Collate(rows, dev);
        // Only the positions that predict a trained completion token reach the lm_head (prompt and padding do not).
        var (logp, entropy) = TokenLogProbs.ComputeWithEntropy(policy, ids, mask, rollout.Temperature,
            withEntropy: true, entropyWithGrad: objective.NeedsEntropies, positions: completionMask,
            chunkMB: training.LogitsChunkMB);                                                                 // (b, T−1) each
        var old = reuseBehaviourAsOld ? behaviour : logp.detach();
        var adv = Engines.ImportanceWeightedAdvantages.Build(rows, advantages, dev) ?? tensor(advantages, ScalarType.Float32, dev);
        var mb = new PolicyMicroBatch(logp, old, adv, completionMask)
        {
            Entropies = objective.NeedsEntropies ? entropy : null,
        };
        if (objective.NeedsReferenceLogProbs)
        {
            using var noGrad = no_grad();
            mb = mb with { RefLogProbs = TokenLogProbs.Compute(reference!, ids, mask, rollout.Temperature, completionMask, training.LogitsChunkMB) };
        }
        var result = objective.Compute(mb, normalizer);
        using (no_grad())
        {
            var m = completionMask.to(ScalarType.Float32);
            var ent = (entropy!.detach() * m).sum().item<float>() / Math.Max(1f, m.sum().item<float>());
            var withEntropy = new Dictionary<string, double>(result.Metrics) { ["entropy"] = ent };
            return result with { Metrics = withEntropy };
        }
    }

    /// Completion tokens of these samples that enter the loss.
    private long TrainedTokens(IEnumerable<RolloutSample> samples) => samples.Sum(s => (long)s.TrainedTokens(training.MaskTruncatedCompletions));

    /// Right-padded prompt + completion: ids/mask (b, T); completion mask and behaviour log-probs (b, T−1) at the
    /// positions that predict completion tokens.
    internal (Tensor Ids, Tensor Mask, Tensor CompletionMask, Tensor Behaviour) Collate(List<RolloutSample> rows, Device dev)
    {
        var batch = RightPaddedBatch.Of(rows);
        var (ids, mask) = batch.Tokens(dev);
        bool maskTruncated = training.MaskTruncatedCompletions;
        var completionMask = batch.PerContinuationToken((i, j) => rows[i].IsTrainedToken(j, maskTruncated) ? 1f : 0f, dev);
        var behaviour = batch.PerContinuationToken((i, j) => rows[i].BehaviourLogProbs[j], dev);
        return (ids, mask, completionMask, behaviour);
    }
}
