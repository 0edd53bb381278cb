using RlTrainer.Trainer.Evaluation;

namespace RlTrainer.Trainer.Tests.Reporting;

/// Eval reports with made-up, distinct numbers, as the eval command would write them.
internal static class EvalFixtures
{
    public static EvalScores Scores(int problems, double greedy, params (int K, double V)[] passAtK) =>
        new(problems, greedy, passAtK.Length > 0 ? greedy + 0.01 : null, passAtK.Length > 0 ? greedy + 0.02 : null,
            passAtK.ToDictionary(p => p.K, p => p.V), 0.95, 41.5, 0.125);

    public static EvalReport Base() => new("/runs/a/checkpoints/step-000000", "data/arith/test.parquet", 8, 0.8,
        Scores(40, 0.25, (1, 0.2), (2, 0.3), (4, 0.4), (8, 0.5)),
        new Dictionary<string, EvalScores>
        {
            ["arith"] = Scores(30, 0.3, (1, 0.25), (2, 0.35), (4, 0.45), (8, 0.55)),
            ["general"] = Scores(10, 0.1, (1, 0.05), (2, 0.15), (4, 0.25), (8, 0.35)),
        }, 12.5, 400.25);

    public static EvalReport Trained() => new("/runs/a/checkpoints/step-000030", "data/arith/test.parquet", 8, 0.8,
        Scores(40, 0.45, (1, 0.4), (2, 0.5), (4, 0.6), (8, 0.7)),
        new Dictionary<string, EvalScores>
        {
            ["arith"] = Scores(30, 0.5, (1, 0.45), (2, 0.55), (4, 0.65), (8, 0.75)),
            ["general"] = Scores(10, 0.3, (1, 0.25), (2, 0.35), (4, 0.45), (8, 0.55)),
        }, 11.0, 420.0);

    public static EvalReport GreedyOnly() => new("/models/other", "data/arith/test.parquet", 1, 1.0,
        Scores(40, 0.15), new Dictionary<string, EvalScores> { ["arith"] = Scores(30, 0.2), ["general"] = Scores(10, 0) }, 3, 500);
}
