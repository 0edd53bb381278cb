namespace RlTrainer.Trainer.Evaluation;

/// <summary>One evaluated problem: its greedy completion and, with K samples, how many of them were correct.</summary>
/// <param name="Index">Position of the problem in the evaluated set.</param>
public sealed record EvalRecord(int Index, string DataSource, string GroundTruth, string Greedy, bool GreedyCorrect,
    string? GreedyAnswer, int? SampledCorrect);
