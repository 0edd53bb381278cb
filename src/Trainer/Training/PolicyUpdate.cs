using System.Diagnostics;
using RlTrainer.Rewards.Mixing;
using RlTrainer.Rollout.Model;
using RlTrainer.Trainer.Contracts;
using RlTrainer.Trainer.Optimization;
using Parameter = TorchSharp.Modules.Parameter;
using static TorchSharp.torch;

namespace RlTrainer.Trainer.Training;

/// <summary>
/// advantage → loss → step: advantages from the rewards, then μ (Training:NumIterations) passes over the batch, each one
/// optimizer step with gradients accumulated over shuffled micro-batches and the step's trained-token count as the
/// loss normaliser. At the start of each pass every step extension may back-propagate losses of its own and scale
/// each sample's policy-gradient loss (<see cref="IStepExtension.BeginPass"/>; the scales of several multiply).
/// </summary>
public sealed class PolicyUpdate(PolicyLoss loss, AdvantageEstimator estimator, optim.Optimizer optimizer,
    OptimizerOptions optimizerOptions, TrainingOptions training, IReadOnlyList<IStepExtension>? extensions = null)
{
    private readonly List<Parameter> _parameters = loss.Policy.TrainableParameters().ToList();
    private readonly IReadOnlyList<IStepExtension> _extensions = extensions ?? [];

    /// <param name="step">Training step (0-based); optimizer steps are step·μ + pass.</param>
    public UpdateStats Run(RolloutBatch batch, int step, int totalTrainingSteps)
    {
        var sw = Stopwatch.StartNew();
        var samples = batch.Samples;
        var advantages = estimator.Compute(batch);                                                     // (B,)
        var normalizer = loss.NormalizerFor(samples);
        int micro = training.MicroBatchSize;

        var sums = new Dictionary<string, double>();
        double lr = 0, gradNorm = 0, weight = 0;
        var policy = loss.Policy;
        policy.train();
        for (int pass = 0; pass < training.NumIterations; pass++)
        {
            var scales = SampleScales(pass, samples.Count);                                            // (B,)
            var order = Enumerable.Range(0, samples.Count).ToArray();
            new Random(SampleSeeds.For(training.Seed, step, pass)).Shuffle(order);
            for (int start = 0; start < order.Length; start += micro)
            {
                using var scope = NewDisposeScope();
                var picked = order.Skip(start).Take(micro).ToArray();
                var rows = picked.Select(i => samples[i]).ToList();
                var result = loss.MicroBatch(rows, picked.Select(i => advantages[i] * scales[i]).ToArray(), normalizer);
                double value = result.Loss.item<float>();
                if (!double.IsFinite(value))  // before backward and the optimizer step: pass 0 leaves the weights as they were
                    throw new NonFiniteValueException(step + 1, $"the loss (pass {pass + 1}, micro-batch {start / micro + 1})", value, pass == 0);
                result.Loss.backward();
                double tokens = loss.TrainedTokens(rows);
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
        var moments = GroupMoments.Of(finite);
        return new UpdateStats(metrics, lr, gradNorm, loss.TrainedTokens(samples) * training.NumIterations, sw.Elapsed.TotalSeconds,
            moments.Mean, moments.Std(unbiased: false), finite.Max(Math.Abs));
    }

    /// Every extension's pass contribution, in order; their per-sample scales multiply.
    private double[] SampleScales(int pass, int count)
    {
        var scales = Enumerable.Repeat(1.0, count).ToArray();
        foreach (var extension in _extensions)
        {
            if (extension.BeginPass(pass) is not { } s) continue;
            if (s.Count != count)
                throw new InvalidOperationException($"step extension '{extension.Name}' returned {s.Count} sample scales for a batch of {count}.");
            for (int i = 0; i < count; i++) scales[i] *= s[i];
        }
        return scales;
    }
}
