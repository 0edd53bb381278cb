using System.Diagnostics;
using RlTrainer.Rewards.Functions;
using RlTrainer.Rewards.Verifiers;
using RlTrainer.Rollout.Model;
using RlTrainer.Rollout.Sampling;
using RlTrainer.Trainer.Data;
using RlTrainer.Trainer.Contracts;
using RlTrainer.Trainer.Tools;

namespace RlTrainer.Trainer.Evaluation;

/// <summary>
/// Evaluates a model on verifiable problems: one greedy completion each (pass@1), and with K &gt; 1 also K sampled
/// completions each for unbiased pass@k, maj@K and avg@K; overall and per data source. With a tool session the
/// completions are decoded as the rollouts are (docs/algorithms.md#tool-calls): prompts rendered with the tool list,
/// one <see cref="ToolCallHook"/> per batch, calls answered through the KV cache; the judge reads the model's own
/// turns (not the injected responses), and the scores gain the tool-call figures.
/// </summary>
public sealed class Evaluator(CausalLm model, PromptEncoder encoder, IAnswerJudge judge, EvalOptions options, ToolSession? tools = null)
{
    private readonly ToolRollouts? _tools = tools is null ? null : new ToolRollouts(tools, encoder.Tokenizer);

    /// <param name="Calls">The completion's tool calls; null without tools.</param>
    private sealed record Sample(bool Correct, string? Extracted, bool Formatted, int Tokens, bool Truncated, string Text,
        IReadOnlyList<ToolCallRecord>? Calls);

    /// <param name="progress">Called with (completions done, completions planned).</param>
    /// <param name="records">When given, receives one record per problem (greedy completion and sample counts).</param>
    public EvalReport Run(string modelName, string dataName, IReadOnlyList<RlExample> examples,
        Action<int, int>? progress = null, CancellationToken ct = default, ICollection<EvalRecord>? records = null)
    {
        var problems = options.Limit > 0 ? examples.Take(options.Limit).ToList() : examples.ToList();
        var prompts = problems.Select(e => encoder.Encode(e.Prompt, _tools?.Session.PromptTools).ToArray()).ToArray();
        var eos = encoder.StopTokenIds();
        var sampler = new BatchSampler(model, ids => encoder.Tokenizer.Decode(ids));
        var baseOptions = new SamplingOptions { MaxNewTokens = options.MaxNewTokens, EosTokenIds = eos };
        int planned = problems.Count * (options.K > 1 ? options.K + 1 : 1), done = 0;
        var wall = Stopwatch.StartNew();
        long tokens = 0;

        Sample[] RunAll(IReadOnlyList<(int Problem, int Seed)> jobs, SamplingOptions o)
        {
            var results = new Sample[jobs.Count];
            for (int start = 0; start < jobs.Count; start += options.BatchSize)
            {
                ct.ThrowIfCancellationRequested();
                var chunk = jobs.Skip(start).Take(options.BatchSize).ToList();
                _tools?.BeginDraw(chunk.Count);
                var hook = _tools?.HookFor(0, chunk.Count, ct);
                var outs = sampler.Generate(chunk.Select(j => new GenerationRequest(prompts[j.Problem], j.Seed)).ToArray(), o, ct, hook);
                _tools?.Record(outs, hook);
                for (int i = 0; i < chunk.Count; i++)
                {
                    var text = encoder.Tokenizer.Decode(outs[i].TokenIds, skipSpecialTokens: true);
                    // With tools the answer is the model's own: its turns without the injected tool responses.
                    var answerText = _tools is null ? text : ModelAuthoredText.FromTurns(_tools.ModelTurns(outs[i]));
                    var (correct, extracted, formatted) = judge.Judge(answerText, problems[chunk[i].Problem].GroundTruth);
                    results[start + i] = new Sample(correct, extracted, formatted, outs[i].TokenIds.Count,
                        outs[i].FinishReason == FinishReason.Length, text, _tools?.CallsOf(i));
                    tokens += outs[i].TokenIds.Count;
                }
                done += chunk.Count;
                progress?.Invoke(done, planned);
            }
            return results;
        }

        var greedy = RunAll(problems.Select((_, i) => (i, 0)).ToList(), baseOptions with { Greedy = true });
        Sample[][]? sampled = null;
        if (options.K > 1)
        {
            var jobs = problems.SelectMany((_, i) => Enumerable.Range(0, options.K).Select(j => (i, SampleSeed(i, j)))).ToList();
            var flat = RunAll(jobs, baseOptions with { Temperature = options.Temperature, TopP = options.TopP });
            sampled = problems.Select((_, i) => flat.Skip(i * options.K).Take(options.K).ToArray()).ToArray();
        }

        if (records is not null)
            for (int i = 0; i < problems.Count; i++)
                records.Add(new EvalRecord(i, problems[i].DataSource, problems[i].GroundTruth, greedy[i].Text, greedy[i].Correct,
                    greedy[i].Extracted, sampled?[i].Count(s => s.Correct), sampled?[i].Select(s => (s.Text, s.Correct, s.Calls)).ToList() ?? [],
                    greedy[i].Calls));

        EvalScores Score(IReadOnlyList<int> idx) => Aggregate(idx, greedy, sampled);
        var all = Enumerable.Range(0, problems.Count).ToList();
        var bySource = all.GroupBy(i => problems[i].DataSource).OrderBy(g => g.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => Score(g.ToList()));
        return new EvalReport(modelName, dataName, options.K, options.Temperature, Score(all), bySource,
            wall.Elapsed.TotalSeconds, tokens / Math.Max(1e-9, wall.Elapsed.TotalSeconds),
            _tools?.Session.Box.Tools.Select(t => t.Description.Name).ToList());
    }

    private int SampleSeed(int problem, int sample) => SampleSeeds.For(options.Seed, problem, sample);

    private EvalScores Aggregate(IReadOnlyList<int> idx, Sample[] greedy, Sample[][]? sampled)
    {
        double greedyPass = idx.Average(i => greedy[i].Correct ? 1.0 : 0.0);
        double format = idx.Average(i => greedy[i].Formatted ? 1.0 : 0.0);
        double meanTokens = idx.Average(i => (double)greedy[i].Tokens);
        double truncation = idx.Average(i => greedy[i].Truncated ? 1.0 : 0.0);
        double? callsPerCompletion = _tools is null ? null : idx.Average(i => (double)greedy[i].Calls!.Count);
        double? withCalls = _tools is null ? null : idx.Average(i => greedy[i].Calls!.Count > 0 ? 1.0 : 0.0);
        if (sampled is null)
            return new EvalScores(idx.Count, greedyPass, null, null, new Dictionary<int, double>(), format, meanTokens, truncation,
                callsPerCompletion, withCalls);

        int k = options.K;
        var passAtK = new Dictionary<int, double>();
        for (int kk = 1; kk <= k; kk *= 2) passAtK[kk] = PassAtK.Mean(idx.Select(i => (k, sampled[i].Count(s => s.Correct))), kk);
        if (!passAtK.ContainsKey(k)) passAtK[k] = PassAtK.Mean(idx.Select(i => (k, sampled[i].Count(s => s.Correct))), k);
        double avg = idx.Average(i => AverageAtK.Score(sampled[i].Select(s => s.Correct).ToList(), k));
        double maj = idx.Average(i => MajorityAtK.Score(VoteKeys(sampled[i]), sampled[i].Select(s => s.Correct).ToList(), k));
        return new EvalScores(idx.Count, greedyPass, avg, maj, passAtK, format, meanTokens, truncation, callsPerCompletion, withCalls);
    }

    /// Maps each extracted answer to the first earlier answer it is equivalent to, so equivalent forms vote together.
    private List<string?> VoteKeys(Sample[] samples)
    {
        var representatives = new List<string>();
        var keys = new List<string?>();
        foreach (var s in samples)
        {
            if (s.Extracted is null) { keys.Add(null); continue; }
            var rep = representatives.FirstOrDefault(r => r == s.Extracted || judge.Equivalent(r, s.Extracted));
            if (rep is null) { representatives.Add(s.Extracted); rep = s.Extracted; }
            keys.Add(rep);
        }
        return keys;
    }
}
