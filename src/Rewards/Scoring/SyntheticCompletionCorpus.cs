using System.Globalization;
using System.Text;
using RlTrainer.Rewards.Functions;

namespace RlTrainer.Rewards.Scoring;

/// <summary>
/// A seeded, reproducible mix of completions for throughput measurement (<c>rltrainer bench score</c>): GSM8K
/// solutions with "####", boxed MATH answers (fractions, roots, tuples, intervals, polynomials, ± roots),
/// "The answer is …" endings, R1-style <c>&lt;think&gt;</c> traces, bare last-number endings, truncated boxes and
/// long reasoning — about half of them correct. Same seed, same corpus.
/// </summary>
public static class SyntheticCompletionCorpus
{
    private const int MaxCompletionTokens = 4096;

    public static IReadOnlyList<SyntheticCompletion> Generate(int count, int seed)
    {
        var random = new Random(seed);
        var items = new List<SyntheticCompletion>(count);
        for (var i = 0; i < count; i++)
        {
            var correct = random.NextDouble() < 0.5;
            var (completion, gold, source) = (i % 8) switch
            {
                0 => Gsm8k(random, correct),
                1 => BoxedFraction(random, correct),
                2 => BoxedRoot(random, correct),
                3 => BoxedStructure(random, correct),
                4 => AnswerPhrase(random, correct),
                5 => ThinkTrace(random, correct),
                6 => LastNumber(random, correct),
                _ => random.Next(4) == 0 ? Truncated(random) : BoxedPolynomial(random, correct),
            };
            bool? built = completion.EndsWith('{') ? null : correct;
            var text = Reasoning(random, random.Next(2, 40)) + completion;
            items.Add(new SyntheticCompletion(new RewardInput(text, gold)
            {
                CompletionTokens = Math.Min(MaxCompletionTokens, text.Length / 4 + random.Next(0, 3500)),
                MaxCompletionTokens = MaxCompletionTokens,
                DataSource = source,
            }, built));
        }
        return items;
    }

    private static string I(long v) => v.ToString(CultureInfo.InvariantCulture);

    private static string Reasoning(Random random, int sentences)
    {
        var b = new StringBuilder();
        for (var s = 0; s < sentences; s++)
        {
            int a = random.Next(2, 500), c = random.Next(2, 50);
            b.Append(random.Next(3) switch
            {
                0 => $"First, {I(a)} times {I(c)} gives <<{I(a)}*{I(c)}={I(a * c)}>>{I(a * c)}. ",
                1 => $"We know $x + {I(a)} = {I(a + c)}$, so $x = {I(c)}$. ",
                _ => $"Then the remaining part is {I(a)} - {I(c)} = {I(a - c)} units. ",
            });
        }
        return b.ToString();
    }

    private static (string, string, string) Gsm8k(Random r, bool correct)
    {
        var answer = r.Next(1, 100_000);
        var given = correct ? answer : answer + r.Next(1, 9);
        var gold = $"Natalia sold {I(answer / 2)} clips in May.\n#### {I(answer)}";
        var shown = r.Next(2) == 0 ? I(given) : given.ToString("N0", CultureInfo.InvariantCulture);
        return ($"So the total is {shown}.\n#### {shown}", gold, "gsm8k");
    }

    private static (string, string, string) BoxedFraction(Random r, bool correct)
    {
        int p = r.Next(1, 50), q = r.Next(p + 1, 99), k = r.Next(2, 5);
        var shown = correct ? $"\\dfrac{{{I(p * k)}}}{{{I(q * k)}}}" : $"\\frac{{{I(p + 1)}}}{{{I(q)}}}";
        return ($"Therefore the probability is $\\boxed{{{shown}}}$.", $"\\frac{{{I(p)}}}{{{I(q)}}}", "math");
    }

    private static (string, string, string) BoxedRoot(Random r, bool correct)
    {
        int a = r.Next(2, 9), m = new[] { 2, 3, 5, 6, 7, 10, 11 }[r.Next(7)];
        var shown = correct ? $"\\sqrt{{{I(a * a * m)}}}" : $"{I(a + 1)}\\sqrt{{{I(m)}}}";
        return ($"The distance is $\\boxed{{{shown}}}$ units.", $"{I(a)}\\sqrt{{{I(m)}}}", "math");
    }

    private static (string, string, string) BoxedStructure(Random r, bool correct)
    {
        int a = r.Next(-20, 20), b = r.Next(21, 60);
        return r.Next(3) switch
        {
            0 => ($"so $(x, y) = \\boxed{{\\left( {I(a)}, \\frac{{{I(b)}}}{{2}} \\right)}}$", correct ? $"({I(a)}, {I(b)}/2)" : $"({I(b)}/2, {I(a)})", "math"),
            1 => ($"The solution set is $\\boxed{{[{I(a)}, {I(b)})}}$.", correct ? $"[{I(a)},{I(b)})" : $"({I(a)},{I(b)})", "math"),
            _ => ($"The roots are $x = \\boxed{{{I(a)} \\pm \\sqrt{{{I(b)}}}}}$.", correct ? $"{I(a)}+\\sqrt{{{I(b)}}}, {I(a)}-\\sqrt{{{I(b)}}}" : $"{I(a)}+\\sqrt{{{I(b)}}}", "math"),
        };
    }

    private static (string, string, string) BoxedPolynomial(Random r, bool correct)
    {
        int p = r.Next(1, 9), q = r.Next(1, 9);
        var gold = $"x^2+{I(p + q)}x+{I(p * q)}";
        var shown = correct ? $"(x+{I(p)})(x+{I(q)})" : $"(x+{I(p)})(x+{I(q + 1)})";
        return ($"Factoring, the polynomial is $\\boxed{{{shown}}}$.", gold, "math");
    }

    private static (string, string, string) AnswerPhrase(Random r, bool correct)
    {
        var answer = r.Next(1, 1000) / 4.0;
        var shown = correct ? answer : answer + 0.5;
        return ($"Final Answer: The final answer is ${shown.ToString(CultureInfo.InvariantCulture)}$. I hope it is correct.",
                (answer * 4).ToString(CultureInfo.InvariantCulture) + "/4", "math");
    }

    private static (string, string, string) ThinkTrace(Random r, bool correct)
    {
        var answer = r.Next(10, 500);
        var inner = Reasoning(r, r.Next(10, 60));
        return ($"<think>{inner}Let me double check: \\boxed{{{I(answer + 1)}}}? No.</think>\nThe answer is $\\boxed{{{I(correct ? answer : answer - 1)}}}$.",
                I(answer), "math");
    }

    private static (string, string, string) LastNumber(Random r, bool correct)
    {
        var answer = r.Next(1, 10_000);
        return ($"Adding everything up, she has {I(correct ? answer : answer * 10)} stickers left", I(answer), "gsm8k");
    }

    private static (string, string, string) Truncated(Random r) =>
        ($"so the answer is $\\boxed{{\\frac{{{I(r.Next(1, 9))}}}{{", "\\frac{1}{2}", "math");
}
