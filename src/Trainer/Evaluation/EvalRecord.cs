namespace RlTrainer.Trainer.Evaluation;

/// <summary>One evaluated problem: its greedy completion and, with K samples, the samples and how many were correct.</summary>
/// <param name="Index">Position of the problem in the evaluated set.</param>
/// <param name="Samples">The K sampled completions with their verdicts (empty without sampling).</param>
public sealed record EvalRecord(int Index, string DataSource, string GroundTruth, string Greedy, bool GreedyCorrect,
    string? GreedyAnswer, int? SampledCorrect, IReadOnlyList<(string Text, bool Correct)> Samples);
