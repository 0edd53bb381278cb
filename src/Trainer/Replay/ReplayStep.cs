using System.Text.Json.Nodes;
using RlTrainer.Trainer.Sft;
using RlTrainer.Trainer.Training;
using static TorchSharp.torch;
using RlTrainer.Trainer.Contracts;

namespace RlTrainer.Trainer.Replay;

/// <summary>
/// One step's replay: the batch with replayed RL groups appended, the replayed SFT items, and the task weights.
/// In each update pass it back-propagates every SFT source's token-mean NLL while the gradients hold nothing else,
/// keeps each source's gradient apart, and at pass 0 feeds the tracked values to the weighting (RECAP computes the
/// losses first, then the weights, then the weighted loss — no extra model pass); the gradients then become
/// Σ_j (λ_j/K) ∇L_j, and the policy-gradient samples of task k are scaled by (λ_k/K)·(N/N_k) so that each RL
/// task enters as its own token mean (N: trained completion tokens of all RL samples, N_k: of task k's).
/// </summary>
public sealed class ReplayStep
{
    private readonly ReplayMixer _mixer;
    private readonly int[] _taskOf;
    private readonly List<SftExample>?[] _sft;
    private readonly double[] _values;
    private double[]? _lambda;

    internal ReplayStep(ReplayMixer mixer, RolloutBatch batch, int[] taskOf, List<SftExample>?[] sft, double[] trackedRewards)
    {
        _mixer = mixer;
        Batch = batch;
        _taskOf = taskOf;
        _sft = sft;
        _values = trackedRewards;
    }

    /// <summary>The main rollouts followed by the replayed RL groups.</summary>
    public RolloutBatch Batch { get; }

    /// <summary>λ per task (order of <see cref="ReplayMixer.TaskNames"/>); null before the first pass.</summary>
    public IReadOnlyList<double>? Lambda => _lambda;

    /// <summary>Tracked value per task: mean reward (main, RL sources) or token-mean NLL at pass 0 (SFT sources).</summary>
    public IReadOnlyList<double> TrackedValues => _values;

    /// <summary>
    /// Back-propagates the replayed SFT losses of update pass <paramref name="pass"/> (see the class summary) and
    /// returns the policy-gradient scale of each sample of <see cref="Batch"/>.
    /// </summary>
    public IReadOnlyList<double> BeginPass(int pass)
    {
        var grads = new List<(int Task, Tensor?[] Grad)>();
        using (NewDisposeScope()) // the per-source gradient copies die here
        {
            var parameters = _mixer.Policy.parameters().ToList();
            for (int j = 0; j < _sft.Length; j++)
            {
                if (_sft[j] is not { Count: > 0 } items) continue;
                double nll = BackwardTokenMeanNll(items);
                if (pass == 0) _values[j + 1] = nll;
                using (no_grad())
                {
                    grads.Add((j + 1, parameters.Select(p => p.grad?.detach().clone()).ToArray()));
                    foreach (var p in parameters) p.grad?.zero_();
                }
            }
            if (pass == 0) _lambda = _mixer.Weigh(_values);
            int k = _lambda!.Length;
            using (no_grad())
                foreach (var (task, grad) in grads)
                    for (int i = 0; i < parameters.Count; i++)
                        if (grad[i] is { } g) parameters[i].grad!.add_(g, _lambda[task] / k);
        }
        return PolicyGradientScales();
    }

    /// Token-mean NLL of the items over all their trained target tokens, back-propagated micro-batch by micro-batch.
    private double BackwardTokenMeanNll(List<SftExample> items)
    {
        long total = items.Sum(e => (long)e.TrainedTokens);
        double value = 0;
        int micro = _mixer.Training.MicroBatchSize;
        for (int start = 0; start < items.Count; start += micro)
        {
            using var scope = NewDisposeScope();
            var (loss, tokens) = SftLoss.Compute(_mixer.Policy, items.Skip(start).Take(micro).ToList());
            var share = loss * ((double)tokens / Math.Max(1, total));
            share.backward();
            value += share.item<float>();
        }
        return value;
    }

    private double[] PolicyGradientScales()
    {
        int k = _lambda!.Length;
        var samples = Batch.Samples;
        bool mask = _mixer.Training.MaskTruncatedCompletions;
        var tokens = new double[k];
        for (int i = 0; i < samples.Count; i++)
            tokens[_taskOf[i]] += samples[i].TrainedTokens(mask);
        double all = tokens.Sum();
        return _taskOf.Select(o => _lambda[o] / k * (tokens[o] > 0 ? all / tokens[o] : 1.0)).ToArray();
    }

    /// <summary>Adds replay/lambda/&lt;task&gt; and replay/value/&lt;task&gt; (and RECAP's c, i once warmed up) to a step line.</summary>
    public void WriteMetrics(JsonObject line)
    {
        var names = _mixer.TaskNames;
        var signals = _mixer.Recap?.Signals;
        for (int k = 0; k < names.Count; k++)
        {
            if (_lambda is not null) line[$"replay/lambda/{names[k]}"] = _lambda[k];
            if (double.IsFinite(_values[k])) line[$"replay/value/{names[k]}"] = _values[k];
            if (signals is not null)
            {
                line[$"replay/convergence/{names[k]}"] = signals[k].Convergence;
                line[$"replay/instability/{names[k]}"] = signals[k].Instability;
            }
        }
        line["replay/items_per_source"] = _mixer.ItemsPerSource;
    }
}
