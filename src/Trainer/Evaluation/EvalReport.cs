using System.Text.Json.Serialization;

namespace RlTrainer.Trainer.Evaluation;

/// <summary>Scores of one group of problems (all, or one data source).</summary>
/// <param name="PassAtK">Unbiased pass@k (Chen et al. 2021) for k = 1, 2, 4, ... up to K, from the K samples.</param>
/// <param name="ToolCallsPerCompletion">With tools: tool calls per greedy completion (every call the sampler ran,
/// whatever its status). Null without tools.</param>
/// <param name="CompletionsWithCalls">With tools: the share of greedy completions that made at least one call. Null without tools.</param>
public sealed record EvalScores(int Problems, double GreedyPass1, double? AvgAtK, double? MajAtK,
    IReadOnlyDictionary<int, double> PassAtK, double FormatRate, double MeanCompletionTokens, double TruncationRate,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? ToolCallsPerCompletion = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? CompletionsWithCalls = null);
// FormatRate: share of greedy completions whose final answer is in \\boxed{}; TruncationRate: share cut at max tokens.

/// <summary>The result of evaluating one model on one data set.</summary>
/// <param name="Tools">The tools the model could call, in the order offered; null when it decoded without tools.</param>
public sealed record EvalReport(string Model, string Data, int K, double Temperature, EvalScores Overall,
    IReadOnlyDictionary<string, EvalScores> BySource, double Seconds, double TokensPerSecond,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<string>? Tools = null);
