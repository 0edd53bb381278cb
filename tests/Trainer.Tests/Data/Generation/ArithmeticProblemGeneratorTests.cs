using System.Text.RegularExpressions;
using RlTrainer.Trainer.Data;
using RlTrainer.Trainer.Data.Generation;

namespace RlTrainer.Trainer.Tests.Data.Generation;

public sealed partial class ArithmeticProblemGeneratorTests
{
    private static readonly GeneratedDataSet Set = ArithmeticProblemGenerator.Generate(3000, 200, seed: 7);

    [GeneratedRegex(@"^(\d+) ([-+*/]) (\d+) = (\d+)$")]
    private static partial Regex Step();

    /// <summary>Re-does each worked step with plain arithmetic and checks the chain ends in the ground truth.</summary>
    [Fact]
    public void EveryTarget_IsAValidChainEndingInTheGroundTruth()
    {
        foreach (var e in Set.Train.Concat(Set.Test))
        {
            var parts = e.Target!.Split(". ");
            Assert.Equal($"\\boxed{{{e.GroundTruth}}}", parts[^1]);
            long? carried = null;
            foreach (var part in parts[..^1])
            {
                var m = Step().Match(part);
                Assert.True(m.Success, $"step '{part}' of '{e.Target}'");
                long a = long.Parse(m.Groups[1].Value), b = long.Parse(m.Groups[3].Value), r = long.Parse(m.Groups[4].Value);
                var expected = m.Groups[2].Value switch { "+" => a + b, "-" => a - b, "*" => a * b, _ => a / b };
                Assert.Equal(expected, r);
                if (m.Groups[2].Value == "/") Assert.Equal(0, a % b);
                if (carried is { } c) Assert.Equal(c, a);
                Assert.InRange(r, 0, ArithmeticProblemGenerator.MaxValue);
                Assert.Matches($@"\b{b}\b", e.Prompt[0].Content);
                carried = r;
            }

            Assert.Equal(carried!.Value.ToString(), e.GroundTruth);
            Assert.Equal((long)(parts.Length - 1), e.ExtraInfo["num_ops"]);
        }
    }

    [Fact]
    public void StartNumber_HasTheRecordedDigits_AndPromptsStayShort()
    {
        foreach (var e in Set.Train)
        {
            var start = Regex.Match(e.Prompt[0].Content, @"has (\d+) ").Groups[1].Value;
            Assert.Equal(e.ExtraInfo["digits"], (long)start.Length);
            Assert.InRange(e.Prompt[0].Content.Split(' ').Length, 8, 40);
        }
    }

    [Fact]
    public void Difficulty_SpreadsOverOneToThreeOpsAndDigits()
    {
        var cells = Set.Train.GroupBy(e => ((long)e.ExtraInfo["num_ops"]!, (long)e.ExtraInfo["digits"]!)).ToDictionary(g => g.Key, g => g.Count());

        Assert.Equal(9, cells.Count);
        // 3000 rows over 9 cells: ~333 each.
        Assert.All(cells.Values, n => Assert.InRange(n, 250, 420));
        Assert.Equal(4, Set.Train.SelectMany(e => (string)e.ExtraInfo["operations"]!).Distinct().Count());
    }

    [Fact]
    public void Splits_AreDisjoint_NumberedAndLabelled()
    {
        Assert.Empty(Set.Train.Select(e => e.Prompt[0].Content).Intersect(Set.Test.Select(e => e.Prompt[0].Content)));
        Assert.Equal(3000, Set.Train.Select(e => e.Prompt[0].Content).Distinct().Count());
        Assert.Equal(Enumerable.Range(0, 200).Select(i => (long)i), Set.Test.Select(e => (long)e.ExtraInfo["index"]!));
        Assert.All(Set.Test, e => Assert.Equal(("test", "arith", "math"), ((string)e.ExtraInfo["split"]!, e.DataSource, e.Ability)));
        Assert.All(Set.Train, e => Assert.Equal(e.Target, e.ExtraInfo["target"]));
    }

    [Fact]
    public void SameSeed_SameData_OtherSeed_OtherData()
    {
        var again = ArithmeticProblemGenerator.Generate(3000, 200, seed: 7);
        var other = ArithmeticProblemGenerator.Generate(50, 10, seed: 8);

        Assert.Equal(Set.Train.Select(e => e.Prompt[0].Content), again.Train.Select(e => e.Prompt[0].Content));
        Assert.Equal(Set.Test.Select(e => e.Target), again.Test.Select(e => e.Target));
        Assert.NotEqual(Set.Test.Take(10).Select(e => e.Prompt[0].Content), other.Test.Select(e => e.Prompt[0].Content));
    }

    /// <summary>
    /// The column share only changes how targets are worked: the same prompts and answers, the recorded style in
    /// extra_info, about the requested share of column-worked targets among problems with a multi-digit step, and each
    /// column-worked step's "so R" chaining into the next step and the box.
    /// </summary>
    [Fact]
    public void ColumnShare_ChangesOnlyTheWorking()
    {
        var mixed = ArithmeticProblemGenerator.Generate(3000, 200, seed: 7, columnShare: 0.4);

        Assert.Equal(Set.Train.Select(e => (e.Prompt[0].Content, e.GroundTruth)), mixed.Train.Select(e => (e.Prompt[0].Content, e.GroundTruth)));
        Assert.DoesNotContain("style", Set.Train[0].ExtraInfo.Keys);
        var columns = mixed.Train.Where(e => (string)e.ExtraInfo["style"]! == "columns").ToList();
        Assert.InRange(columns.Count / 3000.0, 0.35, 0.45);
        int differing = 0;
        foreach (var (plain, worked) in Set.Train.Zip(mixed.Train))
        {
            if (plain.Target == worked.Target) continue;
            differing++;
            Assert.Equal("columns", worked.ExtraInfo["style"]);
            var values = Regex.Matches(worked.Target!, @"so (\d+)\.").Select(m => m.Groups[1].Value).ToList();
            var plainValues = Regex.Matches(plain.Target!, @"= (\d+)\.").Select(m => m.Groups[1].Value).ToList();
            Assert.Subset(plainValues.ToHashSet(), values.ToHashSet());
            Assert.EndsWith($"\\boxed{{{plain.GroundTruth}}}", worked.Target);
        }
        // Problems whose steps are all on single digits read the same in both styles (a quarter of them here).
        Assert.InRange(differing, 0.6 * columns.Count, columns.Count);
        Assert.Throws<ArgumentOutOfRangeException>(() => ArithmeticProblemGenerator.Generate(10, 10, seed: 7, columnShare: 1.5));
    }

    /// <summary>
    /// The answer-only share drops the working of about that share of targets and nothing else: same prompts and
    /// answers, the target is exactly the box, the style is recorded, and the other targets are the plain ones. With a
    /// column share beside it the two styles split the prompt hash without overlapping.
    /// </summary>
    [Fact]
    public void AnswerOnlyShare_DropsOnlyTheWorking()
    {
        var mixed = ArithmeticProblemGenerator.Generate(3000, 200, seed: 7, answerOnlyShare: 0.6);

        Assert.Equal(Set.Train.Select(e => (e.Prompt[0].Content, e.GroundTruth)), mixed.Train.Select(e => (e.Prompt[0].Content, e.GroundTruth)));
        var answerOnly = 0;
        foreach (var (plain, mix) in Set.Train.Zip(mixed.Train))
        {
            if ((string)mix.ExtraInfo["style"]! == "answer_only")
            {
                answerOnly++;
                Assert.Equal($"\\boxed{{{plain.GroundTruth}}}", mix.Target);
            }
            else
            {
                Assert.Equal("steps", mix.ExtraInfo["style"]);
                Assert.Equal(plain.Target, mix.Target);
            }
        }
        Assert.InRange(answerOnly / 3000.0, 0.56, 0.64);

        var both = ArithmeticProblemGenerator.Generate(3000, 200, seed: 7, columnShare: 0.3, answerOnlyShare: 0.6);
        var styles = both.Train.Select(e => (string)e.ExtraInfo["style"]!).ToList();
        Assert.Equal(styles.Count(s => s == "answer_only"), answerOnly);
        Assert.InRange(styles.Count(s => s == "columns") / 3000.0, 0.26, 0.34);
        Assert.Throws<ArgumentOutOfRangeException>(() => ArithmeticProblemGenerator.Generate(10, 10, seed: 7, columnShare: 0.5, answerOnlyShare: 0.6));
    }
}
