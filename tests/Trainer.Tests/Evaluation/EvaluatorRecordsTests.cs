using RlTrainer.Rollout.Model;
using RlTrainer.Rollout.Tokenization;
using RlTrainer.Trainer.Data;
using RlTrainer.Trainer.Evaluation;
using RlTrainer.Trainer.Tests.Training;

namespace RlTrainer.Trainer.Tests.Evaluation;

public sealed class EvaluatorRecordsTests
{
    /// A judge that calls a completion correct when it and the gold answer have lengths of equal parity: a mix of
    /// verdicts even when a random model's greedy completions all look alike.
    private sealed class EvenLengthJudge : IAnswerJudge
    {
        public static bool Verdict(string completion, string groundTruth) => (completion.Length + groundTruth.Length) % 2 == 0;

        public (bool Correct, string? Extracted, bool Formatted) Judge(string completion, string groundTruth) =>
            (Verdict(completion, groundTruth), completion, false);

        public bool Equivalent(string a, string b) => a == b;
    }

    /// <summary>
    /// The per-problem records (what `eval --samples-out` writes) agree with the scores of the same run: one record
    /// per problem in order, the greedy verdicts average to pass@1, and the correct-sample counts average to avg@k.
    /// </summary>
    [Fact]
    public void Records_AgreeWithTheScores()
    {
        using var run = new TinyRun();
        var examples = new ParquetExampleReader(new DataOptions { Files = [RepoPaths.Of("data", "arith", "test.parquet")] })
            .ReadExamples().Take(40).ToList();
        using var model = HfModelFolder.Load(run.ModelDir, ComputeDevice.Cpu);
        model.eval();
        var evaluator = new Evaluator(model, new PromptEncoder(HfTokenizer.Load(run.ModelDir)), new EvenLengthJudge(),
            new EvalOptions { K = 4, MaxNewTokens = 5, BatchSize = 16, Temperature = 1.0 });
        var records = new List<EvalRecord>();

        var report = evaluator.Run("tiny", "arith", examples, records: records);

        Assert.Equal(Enumerable.Range(0, 40), records.Select(r => r.Index));
        Assert.Equal(examples.Select(e => e.GroundTruth), records.Select(r => r.GroundTruth));
        Assert.All(records, r => Assert.Equal(EvenLengthJudge.Verdict(r.Greedy, r.GroundTruth), r.GreedyCorrect));
        Assert.All(records, r => Assert.Equal(r.SampledCorrect, r.Samples.Count(x => x.Correct)));
        Assert.Equal(report.Overall.GreedyPass1, records.Average(r => r.GreedyCorrect ? 1.0 : 0.0), 12);
        Assert.Equal(report.Overall.AvgAtK!.Value, records.Average(r => r.SampledCorrect!.Value / 4.0), 12);
        Assert.Contains(records, r => r.GreedyCorrect);
        Assert.Contains(records, r => !r.GreedyCorrect);
    }
}
