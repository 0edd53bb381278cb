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
    /// <param name="hook">Watches every step and may stop rows, inject a conclusion into them (pruning), or resume a row
    /// that ended a turn with an injected tool turn (tool calls).</param>
    public IReadOnlyList<GenerationResult> Generate(IReadOnlyList<GenerationRequest> requests, SamplingOptions options,
        CancellationToken ct = default, IDecodeHook? hook = null)
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
        var rows = requests.Select(r => new RowState(r, options.MaxNewTokens)).ToArray();
        var state = DecodeState.Prefill(_model, requests, options.UseKvCache ? options.MaxNewTokens : 0, options.SharePromptPrefill);
        var prefillTime = wall.Elapsed;
        int prefillRows = state.PrefillRows;
        var hookTime = TimeSpan.Zero;
        int steps = 0, compactions = 0;
        long slotSteps = 0;
        int maxStop = options.StopStrings.Count == 0 ? 0 : options.StopStrings.Max(s => s.Length);
        var actions = new DecodeActions();
        hook?.Begin(requests, options);
        try
        {
            while (true)
            {
                ct.ThrowIfCancellationRequested();
                using var scope = NewDisposeScope();
                int active = state.Active.Count;
                slotSteps += active; steps++;
                var activeRows = state.Active.Select(i => rows[i]).ToArray();
                var forcedNow = activeRows.Select(r => r.Forced.Count > 0).ToArray();
                var (tokens, logProbs) = PickTokens(state.LastLogits, activeRows, options);

                var decoded = new DecodedToken[active];
                for (int j = 0; j < active; j++)
                {
                    var row = activeRows[j];
                    bool injected = forcedNow[j];
                    row.Tokens.Add((int)tokens[j]);
                    row.LogProbs.Add(logProbs[j]);
                    row.Sampled.Add(!injected);
                    if (!injected) row.Finish = NaturalEnd(row, (int)tokens[j], options, maxStop);
                    if (row.Finish is null && row.Forced.Count == 0 && row.Tokens.Count >= row.Limit)
                        row.Finish = (FinishReason.Length, row.PruneReason ?? StopReason.MaxLength);
                    decoded[j] = new DecodedToken(state.Active[j], (int)tokens[j], injected, row.Finish is not null);
                }
                if (hook is not null)
                {
                    var hookClock = Stopwatch.StartNew();
                    actions.Clear();
                    hook.OnStep(steps - 1, decoded, actions);
                    foreach (var (index, request) in actions.Requests) Apply(rows[index], request, options.MaxNewTokens);
                    hookTime += hookClock.Elapsed;
                }

                var keep = new List<int>(active);
                for (int j = 0; j < active; j++)
                    if (activeRows[j].Finish is null) keep.Add(j);
                if (keep.Count == 0) break;
                if (keep.Count < active) compactions++;
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
            PrefillRows = prefillRows,
            SampledTokens = rows.Sum(r => (long)r.Sampled.Count(s => s)),
            InjectedTokens = rows.Sum(r => (long)r.Sampled.Count(s => !s)),
            DecodeSteps = steps,
            SlotSteps = slotSteps,
            Compactions = compactions,
            PrefillTime = prefillTime,
            HookTime = hookTime,
            WallTime = wall.Elapsed,
        };
        return rows.Select(r => new GenerationResult(r.Tokens, r.LogProbs, r.Finish!.Value.Finish)
        {
            StopReason = r.Finish!.Value.Reason,
            Sampled = r.Sampled.All(s => s) ? null : r.Sampled.ToArray(),
        }).ToArray();
    }

    /// An eos or stop string ends a row whatever a hook decided before; a length limit is checked by the caller.
    private (FinishReason, StopReason)? NaturalEnd(RowState row, int token, SamplingOptions options, int maxStop)
    {
        if (options.EosTokenIds.Contains(token)) return (FinishReason.Stop, row.PruneReason ?? StopReason.Eos);
        if (maxStop > 0 && EndsWithStopString(row.Tokens, options.StopStrings, maxStop))
            return (FinishReason.Stop, row.PruneReason ?? StopReason.StopString);
        return null;
    }

    /// Applies a hook's request to a row that is still running; the row keeps within max_new_tokens, so the KV cache
    /// reserved at prefill always suffices.
    private static void Apply(RowState row, DecodeActions.Request request, int maxNewTokens)
    {
        if (request.Resume)
        {
            Resume(row, request.Inject!);
            return;
        }
        if (row.Finish is not null || row.PruneReason is not null) return;
        row.PruneReason = request.Reason;
        if (request.Inject is null || row.Tokens.Count + request.Inject.Count >= maxNewTokens)
        {
            row.Finish = (FinishReason.Length, request.Reason);
            return;
        }
        foreach (var id in request.Inject) row.Forced.Enqueue(id);
        row.Limit = Math.Min(maxNewTokens, row.Tokens.Count + request.Inject.Count + request.ExtraBudget);
    }

    /// A row that just sampled eos takes the injection (a tool turn) and samples on within its limit; the KV cache
    /// already holds its eos, which the next step feeds like any token.
    private static void Resume(RowState row, IReadOnlyList<int> inject)
    {
        if (row.Finish is not { Reason: StopReason.Eos } || row.Forced.Count > 0) return;
        if (row.Tokens.Count + inject.Count >= row.Limit)
        {
            row.Finish = (FinishReason.Length, StopReason.MaxLength);   // no room for the tool's answer: cut, as at the limit
            return;
        }
        row.Finish = null;
        foreach (var id in inject) row.Forced.Enqueue(id);
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
            // Rows being forced draw their uniform too, so a row's random stream does not depend on a hook.
            chosen = TokenSampler.SampleInverseCdf(filtered, rows.Select(r => r.Rng.NextDouble()).ToArray());
        }
        if (rows.Any(r => r.Forced.Count > 0))
        {
            var ids = chosen.cpu().data<long>().ToArray();
            for (int j = 0; j < rows.Length; j++)
                if (rows[j].Forced.TryDequeue(out var forced)) ids[j] = forced;
            chosen = tensor(ids, device: logits.device);
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

    private sealed class RowState(GenerationRequest request, int maxNewTokens)
    {
        public readonly Random Rng = new(request.Seed);
        public readonly List<int> Tokens = new();
        public readonly List<float> LogProbs = new();
        public readonly List<bool> Sampled = new();
        /// Tokens a conclusion still has to inject, one per decode step (teacher forcing through the KV cache).
        public readonly Queue<int> Forced = new();
        /// Length at which the row ends: max_new_tokens, or less once a conclusion set an extra budget.
        public int Limit = maxNewTokens;
        public StopReason? PruneReason;
        public (FinishReason Finish, StopReason Reason)? Finish;
    }
}
