using System.Diagnostics;
using RlTrainer.Rollout.Model;
using static TorchSharp.torch;

namespace RlTrainer.Rollout.Sampling;

/// <summary>
/// Batched autoregressive generation with a KV cache. Prompts of different lengths are left-padded into one batch
/// (attention mask + per-row positions); rows that finish are dropped from the batch (and from the cache) so they
/// stop costing compute. Each row draws its uniforms from its own seeded RNG.
/// </summary>
public sealed class BatchSampler
{
    private readonly CausalLm _model;
    private readonly Func<IReadOnlyList<int>, string>? _decode;

    /// <param name="decode">Turns completion ids into text; needed only for stop strings.</param>
    public BatchSampler(CausalLm model, Func<IReadOnlyList<int>, string>? decode = null)
    {
        _model = model;
        _decode = decode;
    }

    public GenerationStats? LastStats { get; private set; }

    /// <summary>Generates a completion for every request; results keep the request order.</summary>
    public IReadOnlyList<GenerationResult> Generate(IReadOnlyList<GenerationRequest> requests, SamplingOptions options,
        CancellationToken ct = default)
    {
        options.Validate();
        if (requests.Count == 0) return Array.Empty<GenerationResult>();
        if (options.StopStrings.Count > 0 && _decode is null)
            throw new InvalidOperationException("stop strings need a decoder: construct BatchSampler with one.");
        if (requests.Any(r => r.PromptIds.Count == 0))
            throw new ArgumentException("every prompt needs at least one token.", nameof(requests));
        var vocab = _model.Config.VocabSize;
        foreach (var r in requests)
            foreach (var id in r.PromptIds)
                if (id < 0 || id >= vocab) throw new ArgumentException($"prompt token id {id} is outside the model's vocabulary [0, {vocab}).", nameof(requests));

        var wall = Stopwatch.StartNew();
        using var noGrad = no_grad();
        var rows = requests.Select(r => new RowState(r)).ToArray();
        var state = DecodeState.Prefill(_model, requests, options.UseKvCache ? options.MaxNewTokens : 0);
        var prefillTime = wall.Elapsed;
        int steps = 0;
        long slotSteps = 0;
        int maxStop = options.StopStrings.Count == 0 ? 0 : options.StopStrings.Max(s => s.Length);
        try
        {
            while (true)
            {
                ct.ThrowIfCancellationRequested();
                using var scope = NewDisposeScope();
                int active = state.Active.Count;
                slotSteps += active; steps++;
                var (tokens, logProbs) = PickTokens(state.LastLogits, state.Active.Select(i => rows[i]).ToArray(), options);

                var keep = new List<int>(active);
                for (int j = 0; j < active; j++)
                {
                    var row = rows[state.Active[j]];
                    row.Tokens.Add((int)tokens[j]);
                    row.LogProbs.Add(logProbs[j]);
                    if (options.EosTokenIds.Contains((int)tokens[j])) row.Finish = FinishReason.Stop;
                    else if (maxStop > 0 && EndsWithStopString(row.Tokens, options.StopStrings, maxStop)) row.Finish = FinishReason.Stop;
                    else if (row.Tokens.Count >= options.MaxNewTokens) row.Finish = FinishReason.Length;
                    else keep.Add(j);
                }
                if (keep.Count == 0) break;
                state.Step(_model, keep, tokens);
            }
        }
        finally
        {
            state.Dispose();
        }

        LastStats = new GenerationStats
        {
            Rows = rows.Length,
            PromptTokens = requests.Sum(r => (long)r.PromptIds.Count),
            SampledTokens = rows.Sum(r => (long)r.Tokens.Count),
            DecodeSteps = steps,
            SlotSteps = slotSteps,
            PrefillTime = prefillTime,
            WallTime = wall.Elapsed,
        };
        return rows.Select(r => new GenerationResult(r.Tokens, r.LogProbs, r.Finish!.Value)).ToArray();
    }

    /// Picks one token per active row from last-position logits (B_act, V) and reports its log-prob.
    private static (long[] Tokens, float[] LogProbs) PickTokens(Tensor logits, RowState[] rows, SamplingOptions o)
    {
        var logp = TokenSampler.LogProbs(logits, o.Temperature);                      // (B, V)
        Tensor chosen;
        if (o.Greedy) chosen = logits.argmax(-1);                                     // (B,)
        else
        {
            var filtered = o.TopK > 0 || o.TopP < 1 ? TokenSampler.Filter(logp, o.TopK, o.TopP) : logp;
            chosen = TokenSampler.SampleInverseCdf(filtered, rows.Select(r => r.Rng.NextDouble()).ToArray());
        }
        var chosenLogp = logp.gather(-1, chosen.unsqueeze(1)).squeeze(1);            // (B,)
        return (chosen.cpu().data<long>().ToArray(), chosenLogp.cpu().data<float>().ToArray());
    }

    private bool EndsWithStopString(List<int> tokens, IReadOnlyList<string> stops, int maxStop)
    {
        // A new match must end in the latest token; a stop string of c chars spans at most 4c byte-level tokens.
        int window = Math.Min(tokens.Count, 4 * maxStop + 2);
        var tail = _decode!(tokens.GetRange(tokens.Count - window, window));
        return stops.Any(s => tail.Contains(s, StringComparison.Ordinal));
    }

    private sealed class RowState(GenerationRequest request)
    {
        public readonly Random Rng = new(request.Seed);
        public readonly List<int> Tokens = new();
        public readonly List<float> LogProbs = new();
        public FinishReason? Finish;
    }
}
