using System.Diagnostics;
using RlTrainer.Rewards.Functions;
using RlTrainer.Rewards.Mixing;
using RlTrainer.Rewards.Verifiers;
using RlTrainer.Rollout.Model;
using RlTrainer.Rollout.Pruning;
using RlTrainer.Rollout.Sampling;
using RlTrainer.Rollout.Tokenization;
using RlTrainer.Rollout.Tools;
using RlTrainer.Trainer.Data;
using RlTrainer.Trainer.Engines;
using RlTrainer.Trainer.Objectives;
using RlTrainer.Trainer.Pruning;
using RlTrainer.Trainer.Contracts;
using RlTrainer.Trainer.Errors;
using RlTrainer.Trainer.Tools;

namespace RlTrainer.Trainer.Training;

/// <summary>
/// Sample → score: draws prompts, generates G completions each with per-row seeds, scores them with the reward mix.
/// With DAPO dynamic sampling, groups whose rewards are all equal are dropped and more prompts are drawn until the
/// batch is full or the try budget runs out. With tools, prompts list them in the system turn and each row's tool calls
/// run inside the sampler (<see cref="ToolCallHook"/>); the rewards see the calls.
/// </summary>
public sealed class RolloutPhase(CausalLm model, PromptEncoder encoder, RewardMix rewards, RolloutOptions options,
    DynamicSamplingOptions dynamic, int runSeed, IRolloutEngine? engine = null, PruningOptions? pruning = null,
    ToolSession? tools = null) : IDisposable
{
    private readonly ToolRollouts? _tools = tools is null ? null : new ToolRollouts(tools, encoder.Tokenizer);
    private readonly IRolloutEngine _engine = engine ?? new LocalRolloutEngine(model, ids => encoder.Tokenizer.Decode(ids));
    private readonly RolloutPruning _pruning = new(pruning ?? new PruningOptions(), encoder, rewards, options.GroupSize, runSeed, options.MaxNewTokens);
    private readonly bool _needsPieces = (pruning?.LogFile is { Length: > 0 }) ||
        rewards.Components.Any(c => c.Function is ExternalRedundancyReward);
    private readonly MathAnswerVerifier _verifier = new();
    private readonly HashSet<int> _eos = encoder.StopTokenIds();

    public RolloutBatch Run(int step, EpochSampler prompts, CancellationToken ct)
    {
        var sw = Stopwatch.StartNew();
        _pruning.BeginStep();
        int g = options.GroupSize;
        var kept = new List<RolloutSample>();
        int zeroVariance = 0, dropped = 0, draw = 0;
        long sampled = 0;
        var filler = dynamic.Enabled ? new DynamicSamplingFiller(options.PromptsPerStep, dynamic.MaxGenerationBatches) : null;
        do
        {
            var examples = prompts.Next(options.PromptsPerStep);
            var samples = Generate(step, draw, step * 1000L + draw, examples, ct, ref sampled);
            draw++;
            var groupRewards = samples.Select(s => s.Reward).ToArray();
            for (int start = 0; start < groupRewards.Length; start += g)
                if (GroupAdvantage.IsZeroVariance(groupRewards.AsSpan(start, g))) zeroVariance++;
            if (filler is null) { kept.AddRange(samples); break; }
            var keep = filler.Offer(groupRewards, g);
            foreach (var group in keep)
                kept.AddRange(samples.Skip(group * g).Take(g).Select(s => s with { Group = kept.Count / g }));
            dropped = filler.DroppedGroups;
        } while (filler!.ShouldSampleMore);

        return new RolloutBatch
        {
            Samples = kept,
            GroupSize = g,
            ComponentNames = rewards.ComponentNames,
            Seconds = sw.Elapsed.TotalSeconds,
            SampledTokens = sampled,
            ZeroVarianceGroups = zeroVariance,
            DroppedGroups = dropped,
            Extra = _engine.TakeCounters(),
            Cost = _pruning.Cost,
        };
    }

    /// <summary>Generates and scores G completions for each of <paramref name="examples"/> outside the main draws (replayed
    /// prompts); <paramref name="seedKey"/> must differ from every main draw's key step·1000 + draw.</summary>
    public (List<RolloutSample> Samples, long SampledTokens) GenerateGroups(long seedKey, IReadOnlyList<RlExample> examples, CancellationToken ct)
    {
        long sampled = 0;
        var samples = Generate((int)Math.Abs(seedKey / 1000), -1, seedKey, examples, ct, ref sampled);
        return (samples, sampled);
    }

    /// <param name="draw">The draw within the step (-1 for replayed prompts): pruning's teacher groups and the rollout log use it.</param>
    private List<RolloutSample> Generate(int step, int draw, long seedKey, IReadOnlyList<RlExample> examples, CancellationToken ct, ref long sampled)
    {
        int g = options.GroupSize;
        var promptIds = examples.Select(e => encoder.Encode(e.Prompt, _tools?.Session.PromptTools).ToArray()).ToArray();
        var requests = Enumerable.Range(0, examples.Count * g)
            .Select(i => new GenerationRequest(promptIds[i / g], SampleSeeds.For(runSeed, seedKey, i)))
            .ToArray();
        var sampling = new SamplingOptions
        {
            MaxNewTokens = options.MaxNewTokens, Temperature = options.Temperature, TopP = options.TopP, TopK = options.TopK,
            StopStrings = options.StopStrings, EosTokenIds = _eos,
        };
        // Pruning hooks run inside the built-in sampler's decode loop; a remote engine ignores the observer (the
        // host refuses pruning with a remote engine at start: PruningEngineValidator).
        _pruning.BeginDraw();
        _tools?.BeginDraw(requests.Length);
        var completions = _engine.Generate(requests, sampling, options.BatchSize, ct, new DrawObserver(_pruning, _tools, step, draw, examples, ct));
        var results = completions.Select(c => c.Result).ToList();
        sampled += results.Sum(r => (long)r.TokenIds.Count);

        var texts = results.Select(r => encoder.Tokenizer.Decode(r.TokenIds, skipSpecialTokens: true)).ToArray();
        // Per-token text offsets cost an incremental decode of every token: only the rollout log and ERD use them.
        var pieces = _needsPieces ? results.Select(r => _pruning.Pieces(r.TokenIds)).ToArray() : null;
        // With tools, answers are read from the model's own turns, not from the injected tool responses.
        var turns = _tools is null ? null : results.Select(_tools.ModelTurns).ToArray();
        var inputs = results.Select((r, i) => new RewardInput(texts[i], examples[i / g].GroundTruth)
        {
            CompletionTokens = r.TokenIds.Count,
            MaxCompletionTokens = options.MaxNewTokens,
            DataSource = examples[i / g].DataSource,
            TokenCharEnds = pieces?[i].CharEnds,
            ToolCalls = _tools?.CallsOf(i),
            ModelTurns = turns?[i],
        }).ToArray();
        var scores = rewards.Score(inputs, g);
        var samples = results.Select((r, i) => new RolloutSample
        {
            Group = i / g,
            PromptIds = promptIds[i / g],
            CompletionIds = r.TokenIds,
            BehaviourLogProbs = r.LogProbs,
            Truncated = r.FinishReason == FinishReason.Length,
            Reward = scores.Totals[i] ?? double.NaN,
            Components = scores.Components[i],
            Correct = _verifier.Verify(inputs[i].AnswerText, examples[i / g].GroundTruth).IsCorrect == true,
            DataSource = examples[i / g].DataSource,
            WeightVersion = completions[i].WeightVersion,
            ToolCalls = _tools?.CallsOf(i),
        }).ToList();
        return _pruning.Finish(step, draw, examples, results, texts, pieces?.Select(p => p.Pieces).ToArray(), samples);
    }

    public void Dispose() => _pruning.Dispose();

    /// One draw's decode hooks (trace pruning's or the tool calls'; ToolsOptionsValidator refuses both at once) and
    /// counters. Without either feature the hook is null and the sampler runs its plain loop.
    private sealed class DrawObserver(RolloutPruning pruning, ToolRollouts? tools, int step, int draw, IReadOnlyList<RlExample> examples,
        CancellationToken ct) : IGenerationObserver
    {
        public IDecodeHook? HookFor(int first, int count) =>
            tools?.HookFor(first, count, ct) ?? (IDecodeHook?)pruning.HookFor(step, draw, first, count, examples);

        public void Record(GenerationStats? stats, IReadOnlyList<GenerationResult> results, IDecodeHook? hook)
        {
            pruning.Record(stats, results, hook as TracePruner);
            tools?.Record(results, hook);
        }
    }
}
