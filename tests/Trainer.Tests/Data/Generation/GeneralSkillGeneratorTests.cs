using System.Text.RegularExpressions;
using RlTrainer.Trainer.Data.Generation;

namespace RlTrainer.Trainer.Tests.Data.Generation;

public sealed class GeneralSkillGeneratorTests
{
    private static readonly GeneratedDataSet Set = GeneralSkillGenerator.Generate(1500, 150, seed: 3);

    /// <summary>The list after "list " or ": " and before the closing "?" or ".".</summary>
    private static string[] Items(string prompt) =>
        Regex.Match(prompt, @"(?:list |: )([^?]+)[?.]$").Groups[1].Value.Split(", ");

    [Fact]
    public void MaxAndMin_GroundTruthIsTheExtremeOfThePromptList()
    {
        foreach (var e in Set.Train.Where(e => e.DataSource is "general_max" or "general_min"))
        {
            var numbers = Items(e.Prompt[0].Content).Select(int.Parse).ToList();
            var expected = e.DataSource == "general_max" ? numbers.Max() : numbers.Min();
            Assert.Equal(expected.ToString(), e.GroundTruth);
            Assert.InRange(numbers.Count, 3, 5);
            Assert.Equal((long)numbers.Count, e.ExtraInfo["length"]);
            Assert.EndsWith($"= {expected}. \\boxed{{{expected}}}", e.Target);
            Assert.Equal(numbers.Count - 1, Regex.Matches(e.Target!, @"(max|min)\(").Count);
        }
    }

    [Fact]
    public void Count_GroundTruthIsTheNumberOfListedWords()
    {
        foreach (var e in Set.Train.Where(e => e.DataSource == "general_count"))
        {
            var words = Items(e.Prompt[0].Content);
            Assert.Equal(words.Length.ToString(), e.GroundTruth);
            Assert.Equal($"{string.Join(", ", words.Select((w, i) => $"{w} {i + 1}"))}. \\boxed{{{words.Length}}}", e.Target);
        }
    }

    [Fact]
    public void Tasks_AreRoughlyEvenlyShared_AndTaggedGeneral()
    {
        var shares = Set.Train.GroupBy(e => e.DataSource).ToDictionary(g => g.Key, g => g.Count());

        Assert.Equal(["general_count", "general_max", "general_min"], shares.Keys.Order());
        // 1500 / 3 = 500 each.
        Assert.All(shares.Values, n => Assert.InRange(n, 420, 580));
        Assert.All(Set.Train, e => Assert.Equal("general", e.Ability));
    }

    [Fact]
    public void Splits_AreDisjoint_AndSeeded()
    {
        Assert.Empty(Set.Train.Select(e => e.Prompt[0].Content).Intersect(Set.Test.Select(e => e.Prompt[0].Content)));
        Assert.Equal(Set.Test.Select(e => e.Prompt[0].Content), GeneralSkillGenerator.Generate(1500, 150, seed: 3).Test.Select(e => e.Prompt[0].Content));
    }
}
