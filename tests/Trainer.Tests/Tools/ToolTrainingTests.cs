using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using RlTrainer.Rewards.Functions;
using RlTrainer.Rewards.Mixing;
using RlTrainer.Rollout.Model;
using RlTrainer.Rollout.Tests.Tools;
using RlTrainer.Rollout.Tokenization;
using RlTrainer.Trainer.Data;
using RlTrainer.Trainer.Objectives;
using RlTrainer.Trainer.Pruning;
using RlTrainer.Trainer.Tests.Engines;
using RlTrainer.Trainer.Tests.Training;
using RlTrainer.Trainer.Tools;
using RlTrainer.Trainer.Training;
using static TorchSharp.torch;

namespace RlTrainer.Trainer.Tests.Tools;

/// Multi-turn rollouts through the trainer: a model that calls the test MCP server's "add" at every turn.
public sealed class ToolTrainingTests : IDisposable
{
    private const string Call = "<tool_call>\n{\"name\": \"add\", \"arguments\": {\"a\": 2, \"b\": 3}}\n</tool_call>";
    private const string Injection = "\n<|im_start|>user\n<tool_response>\n5\n</tool_response><|im_end|>\n<|im_start|>assistant\n";

    // TinyRun's random model is replaced by the tool-calling one, with the call as an added token.
    private readonly TinyRun _run = ToolCallingRun.Create(Call);

    public void Dispose() => _run.Dispose();

    private static ToolsOptions Tools() => new() { Enabled = true, MaxTurns = 1, Mcp = [McpTestServer.Options("add")] };

    [Theory]
    [InlineData(null)]
    [InlineData("Vllm")]
    [InlineData("Sglang")]
    public void ATrainingStep_CallsTheMcpServer_AndLogsEveryCall(string? remoteDialect)
    {
        // Remote: `rltrainer serve` samples each turn; the trainer runs the calls and sends the transcript back as ids.
        using var engine = remoteDialect is null ? null : new InProcessServe(_run.ModelDir);
        var config = JsonNode.Parse(File.ReadAllText(_run.ConfigPath))!.AsObject();
        if (engine is not null)
            config["RolloutEngine"] = new JsonObject
            {
                ["Kind"] = "Remote", ["Dialect"] = remoteDialect, ["Urls"] = new JsonArray(engine.Url), ["TimeoutSeconds"] = 120,
            };
        config["Rollout"] = new JsonObject { ["PromptsPerStep"] = 2, ["GroupSize"] = 2, ["MaxNewTokens"] = 160, ["BatchSize"] = 4 };
        config["Tools"] = new JsonObject
        {
            ["Enabled"] = true, ["MaxTurns"] = 1,
            ["Mcp"] = new JsonArray(new JsonObject { ["Name"] = "test", ["Command"] = "dotnet", ["Arguments"] = new JsonArray(McpTestServer.Dll) }),
        };
        var log = Path.Combine(_run.Dir, "rollouts.jsonl");
        config["Pruning"] = new JsonObject { ["LogFile"] = log };
        File.WriteAllText(_run.ConfigPath, config.ToJsonString());

        Assert.Equal(0, _run.Train());

        var line = Assert.Single(_run.MetricsLines());
        Assert.Equal(4, line["tools/calls"]!.GetValue<double>());
        Assert.Equal(4, line["tools/status/ok"]!.GetValue<double>());
        Assert.Equal(1.0, line["tools/samples_with_calls"]!.GetValue<double>());
        // Each completion: call, <|im_end|>, the tool turn (injected), call, <|im_end|>; only the 4 sampled tokens train.
        Assert.Equal(4 * 4, line["update/tokens"]!.GetValue<double>());
        Assert.True(line["rollout/injected_tokens"]!.GetValue<double>() > 0);
        if (engine is not null)   // the engine's log-probs of the sampled tokens equal the trainer's; injected ones have none
            Assert.True(line["remote/logprob_gap_max"]!.GetValue<double>() < 1e-4, $"gap {line["remote/logprob_gap_max"]}");

        var records = File.ReadAllLines(log).Select(l => JsonNode.Parse(l)!.AsObject()).ToList();
        Assert.Equal(4, records.Count);
        foreach (var r in records)
        {
            // The completion text (what rewards read) is the whole transcript, special tokens removed.
            Assert.Equal((Call + Injection + Call).Replace("<|im_start|>", "").Replace("<|im_end|>", ""), r["completion"]!.GetValue<string>());
            var call = Assert.Single(r["tool_calls"]!.AsArray())!.AsObject();
            Assert.Equal(("add", "{\"a\":2,\"b\":3}", "5", "ok", 1), (call["name"]!.GetValue<string>(), call["arguments"]!.GetValue<string>(),
                call["result"]!.GetValue<string>(), call["status"]!.GetValue<string>(), call["turn"]!.GetValue<int>()));
            Assert.True(call["seconds"]!.GetValue<double>() > 0);
        }
        // prune-sim and other readers get the calls back.
        Assert.All(RolloutLogWriter.Read(log), r => Assert.Equal((ToolCallStatus.Ok, "5"), (r.ToolCalls![0].Status, r.ToolCalls[0].Result)));
    }

    [Fact]
    public void InjectedTokens_HaveLossMaskZero_AndStayOutOfTheLoss()
    {
        using var session = ToolSession.Start(Tools(), NullLogger.Instance, CancellationToken.None)!;
        var encoder = new PromptEncoder(HfTokenizer.Load(_run.ModelDir));
        using var policy = HfModelFolder.Load(_run.ModelDir, ComputeDevice.Cpu, encoder.Tokenizer);
        var rollout = new RolloutOptions { PromptsPerStep = 1, GroupSize = 2, MaxNewTokens = 160, BatchSize = 2 };
        using var phase = new RolloutPhase(policy, encoder, RewardMix.Default, rollout, new DynamicSamplingOptions(), runSeed: 4, tools: session);
        var example = new RlExample([new ChatMessage("user", "What is 2 + 3?")], "5", "arith");
        var (samples, _) = phase.GenerateGroups(-7, [example], CancellationToken.None);

        var injected = encoder.Tokenizer.Encode(Injection).Count;
        var call = encoder.Tokenizer.Encode(Call).Single();
        foreach (var s in samples)
        {
            Assert.Equal(4 + injected, s.CompletionIds.Count);
            Assert.Equal(new[] { true, true }.Concat(Enumerable.Repeat(false, injected)).Concat([true, true]), s.LossMask!);
            Assert.Equal(4, s.TrainedTokens(maskTruncated: false));
            Assert.Equal(("add", "5"), (s.ToolCalls![0].Name, s.ToolCalls[0].Result));
            Assert.Equal(call, s.CompletionIds[0]);
        }
        // The prompt lists the server's tool in the system turn, unless Tools:DescribeTools is false.
        Assert.Contains("\"name\": \"add\"", encoder.Tokenizer.Decode(samples[0].PromptIds));
        using (var plain = ToolSession.Start(new ToolsOptions { Enabled = true, DescribeTools = false, BuiltIn = ["calculator"] },
                   NullLogger.Instance, CancellationToken.None)!)
        using (var plainPhase = new RolloutPhase(policy, encoder, RewardMix.Default, rollout, new DynamicSamplingOptions(), runSeed: 4, tools: plain))
        {
            var (plainSamples, _) = plainPhase.GenerateGroups(-7, [example], CancellationToken.None);
            Assert.Equal(encoder.Encode(example.Prompt), plainSamples[0].PromptIds);
            Assert.Equal(ToolCallStatus.UnknownTool, plainSamples[0].ToolCalls![0].Status);   // it calls "add"; only the calculator is there
        }

        using var scope = NewDisposeScope();
        var (_, _, completionMask, _) = PolicyLossTests.Loss(policy, new TrainingOptions()).Collate(samples, CPU);
        var row = completionMask[0].data<float>().ToArray();                                  // (T − 1,)
        int p = samples[0].PromptIds.Count - 1;                                                 // completion token j predicted at p + j
        Assert.Equal(4, row.Sum());
        Assert.Equal([1f, 1f], row.Skip(p).Take(2));
        Assert.All(row.Skip(p + 2).Take(injected), m => Assert.Equal(0f, m));
    }
}
