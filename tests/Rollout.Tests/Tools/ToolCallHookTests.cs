using System.Text.Json;
using RlTrainer.Rewards.Functions;
using RlTrainer.Rollout.Model;
using RlTrainer.Rollout.Sampling;
using RlTrainer.Rollout.Tokenization;
using RlTrainer.Rollout.Tools;
using static TorchSharp.torch;

namespace RlTrainer.Rollout.Tests.Tools;

public sealed class ToolCallHookTests : IDisposable
{
    private const string Call = "<tool_call>\n{\"name\": \"calculator\", \"arguments\": {\"expression\": \"123*456\"}}\n</tool_call>";
    // The exact text the trainer injects after the model's <|im_end|> (docs/algorithms.md#tool-calls).
    private const string Injection = "\n<|im_start|>user\n<tool_response>\n56088\n</tool_response><|im_end|>\n<|im_start|>assistant\n";

    private readonly string _dir = Directory.CreateTempSubdirectory("tool-tok-").FullName;
    private readonly HfTokenizer _tokenizer;

    public ToolCallHookTests()
    {
        ToolCallingModel.WriteTokenizer(RepoRoot(), _dir, Call);
        _tokenizer = HfTokenizer.Load(_dir);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string RepoRoot() => Path.GetFullPath(Path.Combine(Tokenization.TokenizerFixtures.Root, "..", "..", "..", ".."));

    private GenerationRequest Prompt(string question, int seed = 1)
    {
        var tools = new[] { new CalculatorTool().Description.ToTemplateTool() };
        var text = _tokenizer.ApplyChatTemplate([new ChatMessage("user", question)], addGenerationPrompt: true, tools);
        return new GenerationRequest(_tokenizer.Encode(text), seed);
    }

    private SamplingOptions Options(int maxNewTokens, bool greedy = true) => new()
    {
        Greedy = greedy, Temperature = 1.0, MaxNewTokens = maxNewTokens, EosTokenIds = new HashSet<int> { ToolCallingModel.ImEnd },
    };

    private ToolCallHook Hook(ToolBox box, int maxTurns = 1, int maxToolTokens = 64, double timeoutSeconds = 10) =>
        new(box, _tokenizer, new ToolCallLimits(maxTurns, maxToolTokens, TimeSpan.FromSeconds(timeoutSeconds)), CancellationToken.None);

    private static ToolBox Calculator() => new([new CalculatorTool()]);

    [Fact]
    public void AClosedCall_RunsAndItsAnswerIsInjected_ThenTheRowSamplesItsNextTurn()
    {
        using var model = ToolCallingModel.Create(seed: 1);
        var hook = Hook(Calculator(), maxTurns: 1);
        var r = new BatchSampler(model).Generate([Prompt("What is 123*456?")], Options(64), hook: hook)[0];

        var injected = _tokenizer.Encode(Injection);
        var expected = new[] { ToolCallingModel.CallToken, ToolCallingModel.ImEnd }.Concat(injected)
            .Concat([ToolCallingModel.CallToken, ToolCallingModel.ImEnd]).ToArray();
        Assert.Equal(expected, r.TokenIds);
        Assert.Equal(Call + "<|im_end|>" + Injection + Call + "<|im_end|>", _tokenizer.Decode(r.TokenIds));
        Assert.Equal(new[] { true, true }.Concat(injected.Select(_ => false)).Concat([true, true]), r.Sampled!);
        Assert.Equal((FinishReason.Stop, StopReason.Eos), (r.FinishReason, r.StopReason));
        var call = Assert.Single(hook.CallsOf(0));   // the second turn calls again, past MaxTurns: not run
        Assert.Equal((1, "calculator", "56088", ToolCallStatus.Ok, false), (call.Turn, call.Name, call.Result, call.Status, call.Truncated));
        Assert.Equal("{\"expression\":\"123*456\"}", call.Arguments);
    }

    [Fact]
    public void MaxTurns_BoundsTheToolTurnsOfACompletion()
    {
        using var model = ToolCallingModel.Create(seed: 2);
        var hook = Hook(Calculator(), maxTurns: 3);
        var r = new BatchSampler(model).Generate([Prompt("What is 123*456?"), Prompt("Again?", 2)], Options(200), hook: hook);
        foreach (var row in new[] { 0, 1 })
        {
            Assert.Equal(new[] { 1, 2, 3 }, hook.CallsOf(row).Select(c => c.Turn));
            Assert.Equal(4, r[row].TokenIds.Count(t => t == ToolCallingModel.CallToken));
            Assert.Equal(FinishReason.Stop, r[row].FinishReason);
        }
    }

    [Fact]
    public void InjectionThroughTheKvCache_GivesTheLogProbsOfAFullPrefill()
    {
        // Rows of different prompt lengths (left padding), sampled: every log-prob the sampler reports, for sampled and
        // injected tokens alike, must equal one teacher-forced forward over prompt + completion.
        using var model = ToolCallingModel.Create(seed: 3, noise: 0.3, signal: 30);
        var requests = new[] { Prompt("What is 123*456?", 5), Prompt("Compute 123 times 456 for me, please.", 6) };
        var results = new BatchSampler(model).Generate(requests, Options(120, greedy: false), hook: Hook(Calculator(), maxTurns: 2));
        for (int i = 0; i < requests.Length; i++)
        {
            var r = results[i];
            Assert.True(r.Sampled?.Contains(false) == true, string.Join(",", r.TokenIds));
            using var scope = NewDisposeScope();
            var ids = requests[i].PromptIds.Concat(r.TokenIds).Select(t => (long)t).ToArray();
            var t = tensor(ids).unsqueeze(0);
            var logp = TokenLogProbs.Compute(model, t, ones(1, ids.Length, ScalarType.Bool), chunkMB: 0)[0]; // (T−1,)
            var full = logp.narrow(0, requests[i].PromptIds.Count - 1, r.TokenIds.Count).data<float>().ToArray();
            for (int j = 0; j < full.Length; j++) Assert.Equal(full[j], r.LogProbs[j], 1e-4f);
        }
        // The check has teeth: the first tool turn is the same text in both rows, yet its log-probs depend on the context.
        float[] FirstInjection(GenerationResult r) => r.LogProbs.Where((_, j) => !r.Sampled![j]).Take(20).ToArray();
        var gap = FirstInjection(results[0]).Zip(FirstInjection(results[1])).Max(p => Math.Abs(p.First - p.Second));
        Assert.True(gap > 1e-2, $"gap {gap}");   // 100× the tolerance above
    }

    [Fact]
    public void CallsOfRowsThatCloseATurnInTheSameStep_RunInParallel()
    {
        using var model = ToolCallingModel.Create(seed: 4);
        var slow = new SlowCalculator(TimeSpan.FromMilliseconds(400));
        var requests = Enumerable.Range(0, 3).Select(i => Prompt("What is 123*456?", i)).ToArray();
        var r = new BatchSampler(model).Generate(requests, Options(64), hook: Hook(new ToolBox([slow]), maxTurns: 1));
        Assert.Equal(3, slow.Calls);
        Assert.Equal(3, slow.MostAtOnce);
        Assert.All(r, x => Assert.Contains(false, x.Sampled!));
    }

    [Fact]
    public void ACallPastItsTimeLimit_AnswersATimeoutError()
    {
        using var model = ToolCallingModel.Create(seed: 5);
        var hook = Hook(new ToolBox([new SlowCalculator(TimeSpan.FromSeconds(30))]), timeoutSeconds: 0.2);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var r = new BatchSampler(model).Generate([Prompt("What is 123*456?")], Options(200), hook: hook)[0];
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
        var call = Assert.Single(hook.CallsOf(0));
        Assert.Equal(ToolCallStatus.TimedOut, call.Status);
        Assert.Equal("error: tool \"calculator\" timed out after 0.2 s", call.Result);
        Assert.Contains("timed out", _tokenizer.Decode(r.TokenIds));
    }

    [Fact]
    public void AnAnswerLongerThanMaxToolTokens_IsCutAndMarked()
    {
        using var model = ToolCallingModel.Create(seed: 6);
        var answer = string.Join(" ", Enumerable.Range(1, 100));
        var hook = Hook(new ToolBox([new FixedAnswer(answer)]), maxToolTokens: 8);
        var r = new BatchSampler(model).Generate([Prompt("What is 123*456?")], Options(120), hook: hook)[0];
        var call = Assert.Single(hook.CallsOf(0));
        var expectedText = _tokenizer.Decode(_tokenizer.Encode(answer).Take(8)) + ToolCallHook.TruncationMarker;
        Assert.True(call.Truncated);
        Assert.Equal(expectedText, call.Result);
        Assert.StartsWith("1 2 3", call.Result);
        var injected = _tokenizer.Encode(_tokenizer.ChatTemplate.ToolResponseContinuation([expectedText]));
        Assert.Equal(injected, r.TokenIds.Skip(2).Take(injected.Count));
        Assert.Equal(injected.Count, r.InjectedTokens);
    }

    [Fact]
    public void ARowWithoutRoomForTheAnswer_EndsTruncated()
    {
        using var model = ToolCallingModel.Create(seed: 7);
        var hook = Hook(Calculator());
        var r = new BatchSampler(model).Generate([Prompt("What is 123*456?")], Options(10), hook: hook)[0];
        Assert.Equal(new[] { ToolCallingModel.CallToken, ToolCallingModel.ImEnd }, r.TokenIds);
        Assert.Equal((FinishReason.Length, StopReason.MaxLength), (r.FinishReason, r.StopReason));
        Assert.Single(hook.CallsOf(0));
    }

    /// The calculator's name and answer after a delay; counts calls in flight.
    private sealed class SlowCalculator(TimeSpan delay) : ITool
    {
        private int _inFlight, _most, _calls;
        public int MostAtOnce => _most;
        public int Calls => _calls;
        public ToolDescription Description { get; } = new CalculatorTool().Description;

        public async Task<ToolAnswer> CallAsync(JsonElement arguments, CancellationToken ct)
        {
            Interlocked.Increment(ref _calls);
            var now = Interlocked.Increment(ref _inFlight);
            int seen;
            while (now > (seen = _most) && Interlocked.CompareExchange(ref _most, now, seen) != seen) { }
            try
            {
                await Task.Delay(delay, ct);
                return new ToolAnswer("56088", false);
            }
            finally { Interlocked.Decrement(ref _inFlight); }
        }
    }

    private sealed class FixedAnswer(string text) : ITool
    {
        public ToolDescription Description { get; } = new CalculatorTool().Description;
        public Task<ToolAnswer> CallAsync(JsonElement arguments, CancellationToken ct) => Task.FromResult(new ToolAnswer(text, false));
    }
}
