using System.Diagnostics;
using RlTrainer.Rewards.Functions;
using RlTrainer.Rewards.Mixing;
using RlTrainer.Rollout.Model;
using RlTrainer.Rollout.Sampling;
using RlTrainer.Trainer.Data;

namespace RlTrainer.Trainer.Evaluation;

/// <summary>
/// The hypervolume weighting's validation point (docs/algorithms.md#hypervolume-weighting): one greedy completion per problem of a fixed
/// held-out slice, scored by the reward mix, and the mean of each requested component over the problems where it is
/// not null. Completions are generated under the training generation limit, so length-based rewards mean the same
/// here as in training.
/// </summary>
public sealed class ComponentValidator(CausalLm model, PromptEncoder encoder, RewardMix mix, IReadOnlyList<RlExample> problems,
    int maxNewTokens, int batchSize)
{
    /// <summary>Seconds the last <see cref="Measure"/> took.</summary>
    public double LastSeconds { get; private set; }

    /// <returns>Per requested component, its mean (NaN when it applied to no problem).</returns>
    public double[] Measure(IReadOnlyList<string> components, CancellationToken ct = default)
    {
        var sw = Stopwatch.StartNew();
        var index = components.Select(name => mix.ComponentNames.ToList().IndexOf(name)).ToArray();
        if (index.Any(i => i < 0)) throw new ArgumentException("a tracked name is not a component of the reward mix", nameof(components));
        var sampler = new BatchSampler(model, ids => encoder.Tokenizer.Decode(ids));
        var options = new SamplingOptions { MaxNewTokens = maxNewTokens, EosTokenIds = encoder.StopTokenIds(), Greedy = true };
        var sums = new double[index.Length];
        var counts = new int[index.Length];
        for (int start = 0; start < problems.Count; start += batchSize)
        {
            ct.ThrowIfCancellationRequested();
            var chunk = problems.Skip(start).Take(batchSize).ToList();
            var requests = chunk.Select(e => new GenerationRequest(encoder.Encode(e.Prompt).ToArray(), 0)).ToArray();
            var results = sampler.Generate(requests, options, ct);
            for (int i = 0; i < chunk.Count; i++)
            {
                var input = new RewardInput(encoder.Tokenizer.Decode(results[i].TokenIds, skipSpecialTokens: true), chunk[i].GroundTruth)
                {
                    CompletionTokens = results[i].TokenIds.Count, MaxCompletionTokens = maxNewTokens,
                    DataSource = chunk[i].DataSource,
                };
                var values = mix.ScoreComponents(input);
                for (int k = 0; k < index.Length; k++)
                {
                    if (values[index[k]] is not { } v || double.IsNaN(v)) continue;
                    sums[k] += v;
                    counts[k]++;
                }
            }
        }
        LastSeconds = sw.Elapsed.TotalSeconds;
        return sums.Select((s, k) => counts[k] > 0 ? s / counts[k] : double.NaN).ToArray();
    }
}
