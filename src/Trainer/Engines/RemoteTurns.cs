using RlTrainer.Rollout.Sampling;
using RlTrainer.Trainer.Contracts;

namespace RlTrainer.Trainer.Engines;

/// <summary>
/// Multi-turn rollouts on remote engines (docs/algorithms.md#tool-calls): the engines sample one assistant turn per
/// request, the trainer drives the turns. After each round of requests, every row's new turn is fed to the decode hook
/// as one step (so the tool calls of all rows that closed a turn run in parallel, as in the built-in sampler); a row
/// the hook continues gets the injected tokens (loss mask 0, log-prob 0) and a new request whose prompt is its prompt
/// plus its transcript so far, as token ids, with the rest of its token budget. Rows end when the hook leaves them,
/// when they stop for another reason (length, stop string) or when the budget has no room for the injection.
/// </summary>
public static class RemoteTurns
{
    /// <param name="first">The first turn's completions, in request order.</param>
    /// <param name="runAll">Runs requests (one completion each here) in parallel.</param>
    public static EngineCompletion[] Run(IReadOnlyList<GenerationRequest> requests, SamplingOptions options,
        IReadOnlyList<EngineCompletion> first, IDecodeHook hook,
        Func<IReadOnlyList<(PromptJob Job, SamplingOptions Options)>, CancellationToken, IReadOnlyList<EngineCompletion>[]> runAll,
        CancellationToken ct)
    {
        int rows = requests.Count;
        var transcripts = first.Select(c => new Transcript(c)).ToArray();
        hook.Begin(requests, options);
        var newTurns = first.Select((c, i) => (Row: i, Result: c.Result)).ToList();
        for (int turn = 0; newTurns.Count > 0; turn++)
        {
            ct.ThrowIfCancellationRequested();
            var tokens = new List<DecodedToken>();
            foreach (var (row, result) in newTurns)
                for (int t = 0; t < result.TokenIds.Count; t++)
                    tokens.Add(new DecodedToken(row, result.TokenIds[t], Injected: false,
                        Finished: t == result.TokenIds.Count - 1 && result.FinishReason == FinishReason.Stop));
            var actions = new DecodeActions();
            hook.OnStep(turn, tokens, actions);

            var next = new List<(int Row, PromptJob Job, SamplingOptions Options)>();
            foreach (var (row, result) in newTurns)
            {
                if (result.FinishReason != FinishReason.Stop || actions.ContinuationOf(row) is not { } inject) continue;
                var transcript = transcripts[row];
                int room = options.MaxNewTokens - transcript.Ids.Count - inject.Count;
                if (room < 1) { transcript.Finish = FinishReason.Length; continue; }   // no room for the answer and a token
                transcript.Inject(inject);
                var prompt = requests[row].PromptIds.Concat(transcript.Ids).ToArray();
                // Its own seed per row and turn, so a resumed run samples the same turns.
                int seed = SampleSeeds.For(requests[row].Seed, -2 - turn, row);
                next.Add((row, new PromptJob(prompt, 1, seed), options with { MaxNewTokens = room }));
            }
            var replies = next.Count == 0 ? [] : runAll(next.Select(n => (n.Job, n.Options)).ToList(), ct);
            newTurns = new List<(int, GenerationResult)>();
            for (int k = 0; k < next.Count; k++)
            {
                var reply = replies[k][0];
                transcripts[next[k].Row].Append(reply.Result);
                newTurns.Add((next[k].Row, reply.Result));
            }
        }
        return transcripts.Select((t, i) => first[i] with { Result = t.ToResult() }).ToArray();
    }

    /// One row's completion so far: sampled and injected ids, their log-probs and which were sampled.
    private sealed class Transcript
    {
        public readonly List<int> Ids = new();
        private readonly List<float> _logProbs = new();
        private readonly List<bool> _sampled = new();
        public FinishReason Finish;

        public Transcript(EngineCompletion first) => Append(first.Result);

        public void Append(GenerationResult turn)
        {
            Ids.AddRange(turn.TokenIds);
            _logProbs.AddRange(turn.LogProbs);
            _sampled.AddRange(Enumerable.Repeat(true, turn.TokenIds.Count));
            Finish = turn.FinishReason;
        }

        public void Inject(IReadOnlyList<int> ids)
        {
            Ids.AddRange(ids);
            _logProbs.AddRange(Enumerable.Repeat(0f, ids.Count));
            _sampled.AddRange(Enumerable.Repeat(false, ids.Count));
        }

        public GenerationResult ToResult() => new(Ids.ToArray(), _logProbs.ToArray(), Finish)
        {
            Sampled = _sampled.All(s => s) ? null : _sampled.ToArray(),
        };
    }
}
