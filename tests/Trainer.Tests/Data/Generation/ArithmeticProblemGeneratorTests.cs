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

    /// <summary>
    /// A tool share of 0 is today's set, byte for byte: the committed data/arith test split (drawn first, so a
    /// one-row train split gives it) written again equals the file.
    /// </summary>
    [Fact]
    public async Task ToolShareZero_WritesTheCommittedTestSplitByteForByte()
    {
        var path = Path.Combine(Path.GetTempPath(), $"arith-test-{Guid.NewGuid():N}.parquet");
        try
        {
            var set = ArithmeticProblemGenerator.Generate(1, 500, seed: 1, toolShare: 0, toolCallShare: 0);
            await VerlParquetWriter.WriteAsync(path, set.Test);
            Assert.Equal(await File.ReadAllBytesAsync(RepoPaths.Of("data", "arith", "test.parquet")), await File.ReadAllBytesAsync(path));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [GeneratedRegex(@"^\w+ has (\d+) \w+ and (?:buys|finds|gets|gives away|loses|sells|ends up with|multiplies them by|keeps one of) (\d+)\b")]
    private static partial Regex BigPrompt();

    /// <summary>
    /// Big-operand problems: about the share asked for, one operation each on operands past in-head arithmetic, the
    /// answer re-computed here from the prompt's numbers, and a one-equation target; every other problem is one of
    /// the set without them, in the same order.
    /// </summary>
    [Fact]
    public void ToolShare_AddsBigOperandProblems_WithExactAnswers_AndKeepsTheOthers()
    {
        var mixed = ArithmeticProblemGenerator.Generate(3000, 200, seed: 7, toolShare: 0.3);

        var rows = mixed.Test.Concat(mixed.Train).ToList();
        var big = rows.Where(e => e.DataSource == "arith_big").ToList();
        Assert.InRange(big.Count / (double)rows.Count, 0.27, 0.33);
        foreach (var e in big)
        {
            var m = BigPrompt().Match(e.Prompt[0].Content);
            Assert.True(m.Success, e.Prompt[0].Content);
            long a = long.Parse(m.Groups[1].Value), b = long.Parse(m.Groups[2].Value);
            var op = (string)e.ExtraInfo["operations"]!;
            var answer = op switch { "+" => a + b, "-" => a - b, "*" => a * b, _ => a / b };
            Assert.Equal(answer.ToString(), e.GroundTruth);
            Assert.Equal($"{a} {op} {b} = {answer}. \\boxed{{{answer}}}", e.Target);
            Assert.Equal(1L, e.ExtraInfo["num_ops"]);
            Assert.Equal((long)a.ToString().Length, e.ExtraInfo["digits"]);
            switch (op)
            {
                case "+": Assert.InRange(a, 1000, 999_999); Assert.InRange(b, 1000, 999_999); Assert.True(b.ToString().Length <= a.ToString().Length); break;
                case "-": Assert.InRange(a, 1001, 999_999); Assert.InRange(b, 1000, a - 1); break;
                case "*": Assert.InRange(a, 100, 9999); Assert.InRange(b, 10, 999); break;
                default: Assert.Equal(0, a % b); Assert.InRange(b, 12, 99); Assert.InRange(answer, 100, 9999); break;
            }
        }
        Assert.Equal(4, big.Select(e => (string)e.ExtraInfo["operations"]!).Distinct().Count());

        var plain = Set.Test.Concat(Set.Train).Select(e => (e.Prompt[0].Content, e.Target)).ToList();
        Assert.All(rows.Where(e => e.DataSource != "arith_big"), e => Assert.Equal("arith", e.DataSource));
        var small = rows.Where(e => e.DataSource == "arith").Select(e => (e.Prompt[0].Content, e.Target)).ToList();
        Assert.Equal(plain.Take(small.Count), small);
        Assert.Throws<ArgumentOutOfRangeException>(() => ArithmeticProblemGenerator.Generate(10, 10, seed: 7, toolShare: 1.5));
    }

    /// <summary>
    /// The tool-call share turns about that share of the big-operand targets, and no other, into a calculator call,
    /// the injected response (the ground truth) and, as continuation, that value read back before the step is restated
    /// (not the step worked again), then boxed; the call's expression is the prompt's numbers as written; prompts and answers stay.
    /// </summary>
    [Fact]
    public void ToolCallShare_WritesCalculatorTranscriptsOnBigOperandProblemsOnly()
    {
        var inHead = ArithmeticProblemGenerator.Generate(3000, 200, seed: 7, toolShare: 0.3);
        var calls = ArithmeticProblemGenerator.Generate(3000, 200, seed: 7, toolShare: 0.3, toolCallShare: 0.4);

        Assert.Equal(inHead.Train.Select(e => (e.Prompt[0].Content, e.GroundTruth)), calls.Train.Select(e => (e.Prompt[0].Content, e.GroundTruth)));
        int bigCount = 0, called = 0;
        foreach (var (head, call) in inHead.Train.Zip(calls.Train))
        {
            var isBig = call.DataSource == "arith_big";
            bigCount += isBig ? 1 : 0;
            if ((string)call.ExtraInfo["style"]! != "tool_call")
            {
                Assert.Equal("steps", call.ExtraInfo["style"]);
                Assert.Equal(head.Target, call.Target);
                continue;
            }
            Assert.True(isBig, call.Prompt[0].Content);
            called++;
            var m = BigPrompt().Match(call.Prompt[0].Content);
            var expression = $"{m.Groups[1].Value}{call.ExtraInfo["operations"]}{m.Groups[2].Value}";
            Assert.Equal("<tool_call>\n{\"name\": \"calculator\", \"arguments\": {\"expression\": \"" + expression + "\"}}\n</tool_call><|im_end|>"
                         + $"\n<|im_start|>user\n<tool_response>\n{call.GroundTruth}\n</tool_response><|im_end|>\n<|im_start|>assistant\n"
                         + $"{call.GroundTruth} = {m.Groups[1].Value} {call.ExtraInfo["operations"]} {m.Groups[2].Value}. \\boxed{{{call.GroundTruth}}}",
                call.Target);
        }
        Assert.InRange(called / (double)bigCount, 0.35, 0.45);
        Assert.Throws<ArgumentOutOfRangeException>(() => ArithmeticProblemGenerator.Generate(10, 10, seed: 7, toolCallShare: 0.4));
    }
}
