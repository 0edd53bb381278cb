namespace RlTrainer.Trainer.Evaluation;

/// <summary>Scores of one group of problems (all, or one data source).</summary>
/// <param name="PassAtK">Unbiased pass@k (Chen et al. 2021) for k = 1, 2, 4, ... up to K, from the K samples.</param>
public sealed record EvalScores(int Problems, double GreedyPass1, double? AvgAtK, double? MajAtK,
    IReadOnlyDictionary<int, double> PassAtK, double FormatRate, double MeanCompletionTokens, double TruncationRate);
// FormatRate: share of greedy completions whose final answer is in \\boxed{}; TruncationRate: share cut at max tokens.

/// <summary>The result of evaluating one model on one data set.</summary>
public sealed record EvalReport(string Model, string Data, int K, double Temperature, EvalScores Overall,
    IReadOnlyDictionary<string, EvalScores> BySource, double Seconds, double TokensPerSecond);
