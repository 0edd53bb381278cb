using RlTrainer.Rewards.Functions;

namespace RlTrainer.Trainer.Evaluation;

/// <summary>One evaluated problem: its greedy completion and, with K samples, the samples and how many were correct.</summary>
/// <param name="Index">Position of the problem in the evaluated set.</param>
/// <param name="Greedy">The greedy completion as decoded (with tools: the whole transcript, tool turns included).</param>
/// <param name="Samples">The K sampled completions with their verdicts and tool calls (empty without sampling).</param>
/// <param name="GreedyToolCalls">The greedy completion's tool calls; null without tools.</param>
public sealed record EvalRecord(int Index, string DataSource, string GroundTruth, string Greedy, bool GreedyCorrect,
    string? GreedyAnswer, int? SampledCorrect, IReadOnlyList<(string Text, bool Correct, IReadOnlyList<ToolCallRecord>? ToolCalls)> Samples,
    IReadOnlyList<ToolCallRecord>? GreedyToolCalls = null);
