using System.Text;

namespace RlTrainer.Trainer.Data.Generation;

/// <summary>
/// Short arithmetic word problems with non-negative integer answers, for a tiny model trained from scratch: one to
/// three operations (+, −, ×, ÷ with exact results) on one- to three-digit numbers, and a worked target such as
/// "23 + 45 = 68. 68 - 7 = 61. \boxed{61}". Data source "arith", ability "math"; extra_info records num_ops, digits
/// and the operations. Optionally a share of one-operation problems on operands too large to compute in the head
/// (data source "arith_big"), for a calculator tool, some of whose targets call it (see <see cref="Generate"/>).
/// </summary>
public static class ArithmeticProblemGenerator
{
    /// <summary>Keeps every intermediate result at most four digits, so targets stay short (big-operand problems excepted).</summary>
    public const int MaxValue = 9999;

    /// <summary>The data source of big-operand problems (the tool share of <see cref="Generate"/>).</summary>
    public const string BigOperandsSource = "arith_big";

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
    /// <param name="toolShare">
    /// Share of problems with operands too large for the tiny model to compute in its head (one operation: 4–6 digit
    /// sums and differences, 3–4 digit × 2–3 digit products, 4–6 digit ÷ 2 digit divisions with a 3–4 digit quotient),
    /// the problems a calculator tool is for. Whether a row is one of them, and its numbers, come from a stream of their
    /// own, so the other problems are those of the set without them, in the same order; with 0 the set is exactly the
    /// one without (no stream). Their data source is <see cref="BigOperandsSource"/>, so evaluation reports them apart.
    /// </param>
    /// <param name="toolCallShare">
    /// Share of the big-operand problems whose target calls the calculator (<see cref="ToolCallTranscript"/>: the call,
    /// the injected response, then the response's value read back, the step restated and the value boxed, <see cref="ToolCallTranscript.ReadBack"/>;
    /// the call's expression is the prompt's two numbers as written there, e.g. "146454+52289"); chosen by a hash of the prompt, so
    /// prompts and answers stay the same; extra_info "style" records "tool_call". Needs a tool share above 0.
    /// </param>
    public static GeneratedDataSet Generate(int trainCount, int testCount, long seed, double columnShare = 0, double recheckRate = 0,
        double answerOnlyShare = 0, RecheckStyle recheckStyle = RecheckStyle.Recompute, double toolShare = 0, double toolCallShare = 0)
    {
        if (columnShare is < 0 or > 1 || double.IsNaN(columnShare))
            throw new ArgumentOutOfRangeException(nameof(columnShare), columnShare, "column share must be in [0, 1]");
        if (answerOnlyShare is < 0 or > 1 || double.IsNaN(answerOnlyShare) || answerOnlyShare + columnShare > 1)
            throw new ArgumentOutOfRangeException(nameof(answerOnlyShare), answerOnlyShare,
                $"answer-only share must be in [0, 1] and, with the column share {columnShare}, add up to at most 1");
        if (recheckRate is < 0 or > 1 || double.IsNaN(recheckRate))
            throw new ArgumentOutOfRangeException(nameof(recheckRate), recheckRate, "recheck rate must be in [0, 1]");
        if (toolShare is < 0 or > 1 || double.IsNaN(toolShare))
            throw new ArgumentOutOfRangeException(nameof(toolShare), toolShare, "tool share must be in [0, 1]");
        if (toolCallShare is < 0 or > 1 || double.IsNaN(toolCallShare) || (toolCallShare > 0 && toolShare == 0))
            throw new ArgumentOutOfRangeException(nameof(toolCallShare), toolCallShare,
                $"tool-call share must be in [0, 1], and above 0 only with a tool share above 0 (tool share {toolShare})");
        var shares = new StyleShares(columnShare, answerOnlyShare, toolShare, toolCallShare);
        var extra = recheckRate > 0 ? new SplitMix64(unchecked(seed * 31 + 0x5EC4)) : null;
        var big = toolShare > 0 ? new SplitMix64(unchecked(seed * 31 + 0x70015)) : null;
        return GeneratedProblem.DrawSplits(trainCount, testCount, seed, random =>
        {
            var p = big is not null && UnitDraw(big.NextUInt64()) < toolShare
                ? DrawBigOperands(big, seed, shares)
                : Draw(random, seed, shares);
            if (extra is null) return p;
            // Answer-only and tool-call targets have no working to re-check; they still record "rechecks" so every row has the key.
            var unworked = p.Details.Any(d => d is { Key: "style", Value: "answer_only" or "tool_call" });
            var (target, count) = unworked ? (p.Target, 0) : RecheckAugmenter.Augment(p.Target, p.Answer, recheckRate, extra, recheckStyle);
            return p with { Target = target, Details = [.. p.Details, new("rechecks", (long)count)] };
        });
    }

    /// <summary>The target styles' shares, as <see cref="Generate"/> takes them.</summary>
    private sealed record StyleShares(double Column, double AnswerOnly, double Tool, double ToolCall)
    {
        /// True when extra_info gets a "style" key (any share of a style other than "steps").
        public bool RecordStyle => Column + AnswerOnly + ToolCall > 0;
    }

    internal static GeneratedProblem Draw(SplitMix64 random) => Draw(random, 0, new StyleShares(0, 0, 0, 0));

    private static GeneratedProblem Draw(SplitMix64 random, long seed, StyleShares shares)
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
        return Assemble(prompt.ToString(), steps, digits, operations.ToString(), bigOperands: false, seed, shares);
    }

    /// <summary>
    /// One operation on operands past in-head arithmetic for the tiny model, worded like the other problems:
    /// a + b and a − b with a of 4–6 digits and b of 4 up to a's number of digits (below a for −), a × b with a of 3–4 and b of
    /// 2–3 digits, a ÷ b with b of 2 digits (12–99) and a 3–4 digit quotient. Answers up to 7 digits, exact.
    /// </summary>
    private static GeneratedProblem DrawBigOperands(SplitMix64 random, long seed, StyleShares shares)
    {
        var op = random.Pick("+-*/".ToCharArray());
        int a, b;
        switch (op)
        {
            case '+' or '-':
                var aDigits = random.Next(4, 6);
                // a − b needs a b of at least 4 digits below a.
                a = random.Next(Low(aDigits) + (op == '-' ? 1 : 0), High(aDigits));
                var bDigits = random.Next(4, aDigits);
                b = random.Next(Low(bDigits), op == '-' ? Math.Min(High(bDigits), a - 1) : High(bDigits));
                break;
            case '*':
                a = random.Next(100, 9999);
                b = random.Next(10, 999);
                break;
            default:
                b = random.Next(12, 99);
                a = random.Next(100, 9999) * b;
                break;
        }

        var result = op switch { '+' => a + b, '-' => a - b, '*' => a * b, _ => a / b };
        var name = random.Pick(Names);
        var things = random.Pick(Objects);
        var clause = string.Format(random.Pick(op switch
        {
            '+' => AddClauses,
            '-' => SubtractClauses,
            '*' => MultiplyClauses,
            _ => DivideClauses,
        }), b);
        var prompt = $"{name} has {a} {things} and {clause}. {string.Format(random.Pick(Questions), things, name)}";
        return Assemble(prompt, [(a, op, b, result)], a.ToString(System.Globalization.CultureInfo.InvariantCulture).Length, op.ToString(),
            bigOperands: true, seed, shares);
    }

    /// <summary>The problem's target in the style its prompt hash picks, and its extra_info.</summary>
    private static GeneratedProblem Assemble(string prompt, List<(int A, char Op, int B, int Result)> steps, int digits, string operations,
        bool bigOperands, long seed, StyleShares shares)
    {
        var draw = StyleDraw(prompt, seed);
        var style = draw < shares.AnswerOnly ? "answer_only" : draw < shares.AnswerOnly + shares.Column ? "columns" : "steps";
        // Column working covers one-digit multipliers and divisors only, so a big-operand problem keeps one equation.
        if (bigOperands && style == "columns") style = "steps";
        // An independent hash draw (salted seed), so the tool-call share does not move the other styles.
        if (bigOperands && StyleDraw(prompt, ~seed) < shares.ToolCall) style = "tool_call";
        var answer = steps[^1].Result;
        var target = new StringBuilder();
        if (style is not ("answer_only" or "tool_call"))
            foreach (var (a, op, b, result) in steps)
                target.Append(style == "columns" ? ColumnArithmetic.Step(a, op, b) : $"{a} {op} {b} = {result}.").Append(' ');
        target.Append($"\\boxed{{{answer}}}");
        // After the response the target reads its value back before restating the step: a target that wrote the step
        // and then worked it out taught the model to compute in its head after the call, wrongly, instead of reading.
        var value = answer.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var text = style == "tool_call"
            ? ToolCallTranscript.Target($"{steps[0].A}{steps[0].Op}{steps[0].B}", value, ToolCallTranscript.ReadBack(value, $"{steps[0].A} {steps[0].Op} {steps[0].B}"))
            : target.ToString();
        return new GeneratedProblem(prompt, answer.ToString(), text, bigOperands ? BigOperandsSource : "arith", "math",
        [
            new("num_ops", (long)steps.Count),
            new("digits", (long)digits),
            new("operations", operations),
            .. shares.RecordStyle ? [new KeyValuePair<string, object>("style", style)] : Array.Empty<KeyValuePair<string, object>>(),
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
        return UnitDraw(new SplitMix64(h ^ (ulong)seed).NextUInt64());
    }

    /// The top 53 bits of a draw as a double in [0, 1).
    private static double UnitDraw(ulong bits) => (bits >> 11) * (1.0 / (1UL << 53));

    private static int Low(int digits) => digits == 1 ? 1 : (int)Math.Pow(10, digits - 1);

    private static int High(int digits) => (int)Math.Pow(10, digits) - 1;
}
