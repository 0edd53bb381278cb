using System.Text;

namespace RlTrainer.Trainer.Data.Generation;

/// <summary>
/// A second, easier skill with integer answers, used to measure forgetting while training on arithmetic: the
/// largest or smallest of three to five numbers (target: a running max/min, "max(12, 7) = 12. max(12, 30) = 30.
/// \boxed{30}") and counting the words of a short list (target: "red 1, fox 2, sun 3. \boxed{3}"). Data sources
/// "general_max", "general_min", "general_count"; ability "general"; extra_info records task and length.
/// </summary>
public static class GeneralSkillGenerator
{
    private static readonly string[] Words =
    [
        "red", "blue", "green", "cat", "dog", "fox", "sun", "moon", "star", "tree", "leaf", "rock",
        "fish", "bird", "cup", "hat", "box", "pen", "car", "bus", "rain", "snow", "milk", "bread",
    ];

    private static readonly string[] MaxQuestions = ["What is the largest number in the list {0}?", "Which number is the largest: {0}?"];
    private static readonly string[] MinQuestions = ["What is the smallest number in the list {0}?", "Which number is the smallest: {0}?"];
    private static readonly string[] CountQuestions = ["How many words are in this list: {0}?", "Count the words: {0}."];

    /// <summary>Seeded train and test splits of distinct prompts, the three tasks in equal shares on average.</summary>
    public static GeneratedDataSet Generate(int trainCount, int testCount, long seed) =>
        GeneratedProblem.DrawSplits(trainCount, testCount, seed, Draw);

    internal static GeneratedProblem Draw(SplitMix64 random) => random.Next(0, 2) switch
    {
        0 => Extreme(random, "max", MaxQuestions, Math.Max),
        1 => Extreme(random, "min", MinQuestions, Math.Min),
        _ => Count(random),
    };

    private static GeneratedProblem Extreme(SplitMix64 random, string task, string[] questions, Func<int, int, int> pick)
    {
        var numbers = new List<int>();
        var length = random.Next(3, 5);
        while (numbers.Count < length)
        {
            var n = random.Next(1, 99);
            if (!numbers.Contains(n)) numbers.Add(n);
        }

        var target = new StringBuilder();
        var best = numbers[0];
        foreach (var n in numbers.Skip(1))
        {
            var next = pick(best, n);
            target.Append($"{task}({best}, {n}) = {next}. ");
            best = next;
        }

        target.Append($"\\boxed{{{best}}}");
        var prompt = string.Format(random.Pick(questions), string.Join(", ", numbers));
        return new GeneratedProblem(prompt, best.ToString(), target.ToString(), $"general_{task}", "general",
            [new("task", task), new("length", (long)length)]);
    }

    private static GeneratedProblem Count(SplitMix64 random)
    {
        var length = random.Next(3, 7);
        var words = Enumerable.Range(0, length).Select(_ => random.Pick(Words)).ToList();
        var steps = string.Join(", ", words.Select((w, i) => $"{w} {i + 1}"));
        var prompt = string.Format(random.Pick(CountQuestions), string.Join(", ", words));
        return new GeneratedProblem(prompt, length.ToString(), $"{steps}. \\boxed{{{length}}}", "general_count", "general",
            [new("task", "count"), new("length", (long)length)]);
    }
}
