using RlTrainer.Rewards.Verifiers;
using RlTrainer.Trainer.Data.Generation;

namespace RlTrainer.Trainer.Tests.Data;

public class RecheckAugmenterTests
{
    [Fact]
    public void RateZero_IsTheBundledSet_RateOne_SameProblemsWithRechecks()
    {
        var plain = ArithmeticProblemGenerator.Generate(200, 20, seed: 1);
        Assert.Equal(plain.Train.Select(e => e.Target), ArithmeticProblemGenerator.Generate(200, 20, 1, recheckRate: 0).Train.Select(e => e.Target));
        var verbose = ArithmeticProblemGenerator.Generate(200, 20, 1, recheckRate: 1);
        Assert.Equal(plain.Train.Select(e => e.Prompt[0].Content), verbose.Train.Select(e => e.Prompt[0].Content));
        var verifier = new MathAnswerVerifier();
        for (int i = 0; i < verbose.Train.Count; i++)
        {
            var t = verbose.Train[i].Target!;
            Assert.StartsWith(plain.Train[i].Target!, t);
            int markers = new[] { "\n\nWait", "\n\nBut", "\n\nHmm" }.Sum(m => t.Split(m).Length - 1);
            Assert.InRange(markers, 1, 3);
            Assert.Equal((long)markers, verbose.Train[i].ExtraInfo["rechecks"]);
            Assert.EndsWith($"\n\n**Final Answer**\n\\boxed{{{verbose.Train[i].GroundTruth}}}", t);
            Assert.True(verifier.Verify(t, verbose.Train[i].GroundTruth).IsCorrect);
        }
    }

    [Fact]
    public void ReCheck_RestatesTheLastStep()
    {
        var (t, n) = RecheckAugmenter.Augment("7 + 3 = 10. 10 / 2 = 5. \\boxed{5}", "5", 1.0, new RlTrainer.Trainer.Data.SplitMix64(3));
        Assert.InRange(n, 1, 3);
        Assert.True(t.Contains("10 / 2 = 5. \\boxed{5}\n\n") && (t.Contains("check: 10 / 2 = 5.") || t.Contains("again: 10 / 2 = 5.") || t.Contains("Hmm, so the answer is 5.")));
    }

    /// <summary>Restate re-checks repeat the answer and nothing else: no equation after the first box, every number
    /// after it is the answer, and the problems and the number of re-checks are those of the recompute style.</summary>
    [Fact]
    public void RestateStyle_RepeatsOnlyTheAnswer()
    {
        var recompute = ArithmeticProblemGenerator.Generate(200, 20, 1, recheckRate: 1);
        var restate = ArithmeticProblemGenerator.Generate(200, 20, 1, recheckRate: 1, recheckStyle: RecheckStyle.Restate);
        var verifier = new MathAnswerVerifier();
        for (int i = 0; i < restate.Train.Count; i++)
        {
            var t = restate.Train[i].Target!;
            var answer = restate.Train[i].GroundTruth;
            Assert.Equal(recompute.Train[i].ExtraInfo["rechecks"], restate.Train[i].ExtraInfo["rechecks"]);
            var tail = t[(t.IndexOf("\\boxed{", StringComparison.Ordinal) + 1)..];
            Assert.DoesNotContain(" = ", tail);
            Assert.All(System.Text.RegularExpressions.Regex.Matches(tail, @"\d+"), m => Assert.Equal(answer, m.Value));
            Assert.True(verifier.Verify(t, answer).IsCorrect);
        }
    }
}
