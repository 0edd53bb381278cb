namespace RlTrainer.Trainer.Data.Generation;

/// <summary>One drawn problem before it is numbered into a split.</summary>
/// <param name="Prompt">The user message.</param>
/// <param name="Answer">The integer answer as text.</param>
/// <param name="Target">The worked completion, ending in \boxed{Answer}.</param>
/// <param name="DataSource">"arith" or "general_&lt;task&gt;".</param>
/// <param name="Ability">"math" or "general".</param>
/// <param name="Details">Extra fields for extra_info (difficulty, task), in a fixed key order.</param>
internal sealed record GeneratedProblem(string Prompt, string Answer, string Target, string DataSource, string Ability,
    IReadOnlyList<KeyValuePair<string, object>> Details)
{
    /// <summary>Draws test problems first, then train problems whose prompts the test split does not have.</summary>
    public static GeneratedDataSet DrawSplits(int trainCount, int testCount, long seed, Func<SplitMix64, GeneratedProblem> draw)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(trainCount);
        ArgumentOutOfRangeException.ThrowIfNegative(testCount);
        var random = new SplitMix64(seed);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var test = Draw(testCount, "test", random, seen, draw);
        var train = Draw(trainCount, "train", random, seen, draw);
        return new GeneratedDataSet(train, test);
    }

    private static List<RlExample> Draw(int count, string split, SplitMix64 random, HashSet<string> seen,
        Func<SplitMix64, GeneratedProblem> draw)
    {
        var examples = new List<RlExample>(count);
        // Duplicates are rare in these problem spaces; the cap only turns an impossible request into an error.
        var attempts = 0L;
        while (examples.Count < count)
        {
            if (++attempts > 100L * count + 1000)
                throw new InvalidOperationException($"could not draw {count} distinct {split} problems; the problem space is too small");
            var problem = draw(random);
            if (!seen.Add(problem.Prompt)) continue;
            examples.Add(problem.ToExample(split, examples.Count));
        }

        return examples;
    }

    private RlExample ToExample(string split, int index)
    {
        var extra = new Dictionary<string, object?> { ["split"] = split, ["index"] = (long)index, ["target"] = Target };
        foreach (var (key, value) in Details) extra[key] = value;
        return new RlExample([new("user", Prompt)], Answer, DataSource, Ability, Target) { Index = index, ExtraInfo = extra };
    }
}
