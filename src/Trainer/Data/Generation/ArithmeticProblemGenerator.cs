using System.Text;

namespace RlTrainer.Trainer.Data.Generation;

/// <summary>
/// Short arithmetic word problems with non-negative integer answers, for a tiny model trained from scratch: one to
/// three operations (+, −, ×, ÷ with exact results) on one- to three-digit numbers, and a worked target such as
/// "23 + 45 = 68. 68 - 7 = 61. \boxed{61}". Data source "arith", ability "math"; extra_info records num_ops,
/// digits and the operations.
/// </summary>
public static class ArithmeticProblemGenerator
{
    /// <summary>Keeps every intermediate result at most four digits, so targets stay short.</summary>
    public const int MaxValue = 9999;

    private static readonly string[] Names = ["Sam", "Mia", "Leo", "Ava", "Ben", "Zoe", "Max", "Lily", "Omar", "Nina", "Tom", "Ella"];
    private static readonly string[] Objects = ["apples", "coins", "books", "stickers", "marbles", "pencils", "cards", "shells", "stamps", "cookies"];
    private static readonly string[] AddClauses = ["buys {0} more", "finds {0} more", "gets {0} more"];
    private static readonly string[] SubtractClauses = ["gives away {0}", "loses {0}", "sells {0}"];
    private static readonly string[] MultiplyClauses = ["ends up with {0} times as many", "multiplies them by {0}"];
    private static readonly string[] DivideClauses = ["keeps one of {0} equal piles", "keeps one of {0} equal shares"];
    private static readonly string[] Questions = ["How many {0} does {1} have now?", "How many {0} does {1} have in the end?"];

    /// <summary>Seeded train and test splits of distinct prompts.</summary>
    /// <param name="columnShare">
    /// Share of targets worked digit by digit (<see cref="ColumnArithmetic"/>) instead of one equation per operation.
    /// The choice hangs on a hash of the prompt and the seed, not on the draw stream, so the prompts and answers are
    /// the same for every share; extra_info "style" records it ("steps" or "columns").
    /// </param>
    /// <param name="recheckRate">Fraction of targets that carry redundant re-checks (<see cref="RecheckAugmenter"/>),
    /// for measuring trace pruning; extra_info records "rechecks" when it is above 0.</param>
    /// <param name="answerOnlyShare">
    /// Share of targets that give the boxed answer with no working ("\boxed{61}"), the way most answers in a web
    /// corpus come without their working. Chosen from the same prompt hash as the column style (the draw's lowest
    /// <paramref name="answerOnlyShare"/> goes answer-only, the next <paramref name="columnShare"/> to columns), so
    /// prompts and answers stay the same; extra_info "style" records "answer_only".
    /// </param>
    /// <param name="recheckStyle">What the re-checks say (<see cref="RecheckStyle"/>); default Recompute.</param>
    public static GeneratedDataSet Generate(int trainCount, int testCount, long seed, double columnShare = 0, double recheckRate = 0,
        double answerOnlyShare = 0, RecheckStyle recheckStyle = RecheckStyle.Recompute)
    {
        if (columnShare is < 0 or > 1 || double.IsNaN(columnShare))
            throw new ArgumentOutOfRangeException(nameof(columnShare), columnShare, "column share must be in [0, 1]");
        if (answerOnlyShare is < 0 or > 1 || double.IsNaN(answerOnlyShare) || answerOnlyShare + columnShare > 1)
            throw new ArgumentOutOfRangeException(nameof(answerOnlyShare), answerOnlyShare,
                $"answer-only share must be in [0, 1] and, with the column share {columnShare}, add up to at most 1");
        if (recheckRate is < 0 or > 1 || double.IsNaN(recheckRate))
            throw new ArgumentOutOfRangeException(nameof(recheckRate), recheckRate, "recheck rate must be in [0, 1]");
        var extra = recheckRate > 0 ? new SplitMix64(unchecked(seed * 31 + 0x5EC4)) : null;
        return GeneratedProblem.DrawSplits(trainCount, testCount, seed, random =>
        {
            var p = Draw(random, seed, columnShare, answerOnlyShare);
            if (extra is null) return p;
            // An answer-only target has no working to re-check; it still records "rechecks" so every row has the key.
            var answerOnly = p.Details.Any(d => d is { Key: "style", Value: "answer_only" });
            var (target, count) = answerOnly ? (p.Target, 0) : RecheckAugmenter.Augment(p.Target, p.Answer, recheckRate, extra, recheckStyle);
            return p with { Target = target, Details = [.. p.Details, new("rechecks", (long)count)] };
        });
    }

    internal static GeneratedProblem Draw(SplitMix64 random) => Draw(random, 0, 0, 0);

    private static GeneratedProblem Draw(SplitMix64 random, long seed, double columnShare, double answerOnlyShare)
    {
        var ops = random.Next(1, 3);
        var digits = random.Next(1, 3);
        // A start of 1 would read "has 1 apples".
        var value = random.Next(Math.Max(2, Low(digits)), High(digits));
        var name = random.Pick(Names);
        var things = random.Pick(Objects);

        var prompt = new StringBuilder($"{name} has {value} {things}");
        var steps = new List<(int A, char Op, int B, int Result)>();
        var operations = new StringBuilder();
        for (var step = 0; step < ops; step++)
        {
            var (op, operand) = NextOperation(random, value, digits);
            var result = op switch { '+' => value + operand, '-' => value - operand, '*' => value * operand, _ => value / operand };
            var clause = string.Format(random.Pick(op switch
            {
                '+' => AddClauses,
                '-' => SubtractClauses,
                '*' => MultiplyClauses,
                _ => DivideClauses,
            }), operand);
            prompt.Append(step == 0 ? $" and {clause}." : $" Then {name} {clause}.");
            steps.Add((value, op, operand, result));
            operations.Append(op);
            value = result;
        }

        prompt.Append(' ').Append(string.Format(random.Pick(Questions), things, name));
        var draw = StyleDraw(prompt.ToString(), seed);
        var style = draw < answerOnlyShare ? "answer_only" : draw < answerOnlyShare + columnShare ? "columns" : "steps";
        var target = new StringBuilder();
        if (style != "answer_only")
            foreach (var (a, op, b, result) in steps)
                target.Append(style == "columns" ? ColumnArithmetic.Step(a, op, b) : $"{a} {op} {b} = {result}.").Append(' ');
        target.Append($"\\boxed{{{value}}}");
        return new GeneratedProblem(prompt.ToString(), value.ToString(), target.ToString(), "arith", "math",
        [
            new("num_ops", (long)ops),
            new("digits", (long)digits),
            new("operations", operations.ToString()),
            .. columnShare + answerOnlyShare > 0 ? [new KeyValuePair<string, object>("style", style)] : Array.Empty<KeyValuePair<string, object>>(),
        ]);
    }

    /// <summary>An operation that keeps the value a non-negative integer no larger than <see cref="MaxValue"/>.</summary>
    private static (char Op, int Operand) NextOperation(SplitMix64 random, int value, int digits)
    {
        var divisors = Enumerable.Range(2, 8).Where(d => value % d == 0 && value / d >= 1).ToArray();
        var maxFactor = Math.Min(9, MaxValue / Math.Max(value, 1));
        // Weights 3:3:2:2 over the operations that are possible here (+ always is, below MaxValue - High(digits)).
        var choices = new List<char>();
        if (value + High(digits) <= MaxValue) choices.AddRange("+++");
        if (value >= 1) choices.AddRange("---");
        if (maxFactor >= 2) choices.AddRange("**");
        if (divisors.Length > 0) choices.AddRange("//");
        var op = random.Pick(choices);
        return op switch
        {
            '+' => (op, random.Next(Low(digits), High(digits))),
            // Subtract a number of the same size when the value allows it, else anything up to the value.
            '-' => (op, value >= Low(digits) ? random.Next(Low(digits), Math.Min(High(digits), value)) : random.Next(1, value)),
            '*' => (op, random.Next(2, maxFactor)),
            _ => (op, random.Pick(divisors)),
        };
    }

    /// A uniform draw in [0, 1) from the prompt text (FNV-1a) and the seed.
    private static double StyleDraw(string prompt, long seed)
    {
        ulong h = 14695981039346656037UL;
        foreach (var c in prompt) { h ^= c; h *= 1099511628211UL; }
        return (new SplitMix64(h ^ (ulong)seed).NextUInt64() >> 11) * (1.0 / (1UL << 53));
    }

    private static int Low(int digits) => digits == 1 ? 1 : (int)Math.Pow(10, digits - 1);

    private static int High(int digits) => (int)Math.Pow(10, digits) - 1;
}
