using RlTrainer.Rollout.Model;
using RlTrainer.Trainer.Contracts;
using RlTrainer.Trainer.Engines;
using RlTrainer.Trainer.Objectives;
using static TorchSharp.torch;

namespace RlTrainer.Trainer.Training;

/// <summary>
/// The policy-gradient loss of rollout samples, one micro-batch at a time: collate, forward (only the positions that
/// predict trained completion tokens reach the lm_head), the objective with its old log-probs, and the mean entropy.
/// The update's passes and the gradient weighting's per-component backward passes both go through it, so both train
/// the same loss on the same tokens.
/// </summary>
public sealed class PolicyLoss(CausalLm policy, CausalLm? reference, IPolicyObjective objective, TrainingOptions training,
    RolloutOptions rollout)
{
    private readonly bool _behaviourAsOld = objective.OldLogProbsAreBehaviour(training.NumIterations, offPolicy: training.MaxStaleness > 0);

    public CausalLm Policy => policy;

    /// <summary>Completion tokens of these samples that enter the loss.</summary>
    public long TrainedTokens(IEnumerable<RolloutSample> samples) =>
        samples.Sum(s => (long)s.TrainedTokens(training.MaskTruncatedCompletions));

    /// <summary>The normaliser of one optimizer step over <paramref name="samples"/> in micro-batches of Training:MicroBatchSize.</summary>
    public LossNormalizer NormalizerFor(IReadOnlyList<RolloutSample> samples)
    {
        int microCount = (samples.Count + training.MicroBatchSize - 1) / training.MicroBatchSize;
        return new LossNormalizer(Math.Max(1, TrainedTokens(samples)), microCount, rollout.MaxNewTokens);
    }

    /// <summary>The loss of <paramref name="rows"/> with one advantage each, and its metrics (entropy added).</summary>
    public ObjectiveResult MicroBatch(IReadOnlyList<RolloutSample> rows, double[] advantages, LossNormalizer normalizer)
    {
        var dev = policy.Device.Device;
        var (ids, mask, completionMask, behaviour) = Collate(rows, dev);
        var (logp, entropy) = TokenLogProbs.ComputeWithEntropy(policy, ids, mask, rollout.Temperature,
            withEntropy: true, entropyWithGrad: objective.NeedsEntropies, positions: completionMask,
            chunkMB: training.LogitsChunkMB);                                                                 // (b, T−1) each
        var old = _behaviourAsOld ? behaviour : logp.detach();
        var adv = ImportanceWeightedAdvantages.Build(rows, advantages, dev) ?? tensor(advantages, ScalarType.Float32, dev);
        var mb = new PolicyMicroBatch(logp, old, adv, completionMask)
        {
            Entropies = objective.NeedsEntropies ? entropy : null,
        };
        if (objective.NeedsReferenceLogProbs)
        {
            using var noGrad = no_grad();
            mb = mb with { RefLogProbs = ReferenceLogProbs(ids, mask, completionMask) };
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

    /// The reference policy's log-probs (b, T−1): its own model, or the policy with its LoRA adapters off, which
    /// needs no second copy of the weights in memory.
    private Tensor ReferenceLogProbs(Tensor ids, Tensor mask, Tensor completionMask)
    {
        if (reference is not null) return TokenLogProbs.Compute(reference, ids, mask, rollout.Temperature, completionMask, training.LogitsChunkMB);
        if (policy.Lora is null) throw new InvalidOperationException("the objective needs reference log-probs, but no reference model was loaded.");
        using var baseModel = policy.AdaptersDisabled();
        return TokenLogProbs.Compute(policy, ids, mask, rollout.Temperature, completionMask, training.LogitsChunkMB);
    }

    /// <summary>Right-padded prompt + completion: ids/mask (b, T); completion mask and behaviour log-probs (b, T−1) at the
    /// positions that predict completion tokens.</summary>
    internal (Tensor Ids, Tensor Mask, Tensor CompletionMask, Tensor Behaviour) Collate(IReadOnlyList<RolloutSample> rows, Device dev)
    {
        var batch = RightPaddedBatch.Of(rows);
        var (ids, mask) = batch.Tokens(dev);
        bool maskTruncated = training.MaskTruncatedCompletions;
        var completionMask = batch.PerContinuationToken((i, j) => rows[i].IsTrainedToken(j, maskTruncated) ? 1f : 0f, dev);
        var behaviour = batch.PerContinuationToken((i, j) => rows[i].BehaviourLogProbs[j], dev);
        return (ids, mask, completionMask, behaviour);
    }
}
