using RlTrainer.Trainer.Replay;

namespace RlTrainer.Trainer.Tests.Replay;

public class ReplayOptionsValidatorTests
{
    private static List<string> Failures(ReplayOptions o) => ReplayOptionsValidator.Failures(o).ToList();

    private static ReplaySourceOptions Source(string name) => new() { Name = name, Files = { "data/general/train.parquet" } };

    [Fact]
    public void NoSources_IsValid_PlainTraining() => Assert.Empty(Failures(new ReplayOptions()));

    [Fact]
    public void BadValues_AreNamedByKeyAndValue()
    {
        var o = new ReplayOptions
        {
            Sources = { Source("main"), Source("general"), Source("general"), new ReplaySourceOptions { Name = "x y", Weight = -1 } },
            Ratio = 0.99,
            MainWeight = double.NaN,
            Recap = { Window = 0, Alpha = 2 },
        };
        var f = string.Join("\n", Failures(o));
        Assert.Contains("Replay:Ratio = 0.99", f);
        Assert.Contains("Replay:MainWeight = NaN", f);
        Assert.Contains("Replay:Recap:Window = 0", f);
        Assert.Contains("Replay:Recap:Alpha = 2", f);
        Assert.Contains("Replay:Sources:0:Name = 'main'", f);
        Assert.Contains("Replay:Sources:2:Name = 'general': two sources", f);
        Assert.Contains("Replay:Sources:3:Name = 'x y'", f);
        Assert.Contains("Replay:Sources:3:Files = []", f);
        Assert.Contains("Replay:Sources:3:Weight = -1", f);
    }

    [Fact]
    public void ZeroRatioWithSources_IsAnError()
    {
        var f = Failures(new ReplayOptions { Sources = { Source("general") }, Ratio = 0 });
        Assert.Contains(f, l => l.StartsWith("Replay:Ratio = 0:", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(16, 0.5, 1, 16)]
    [InlineData(16, 0.5, 2, 8)]
    [InlineData(16, 0.2, 1, 4)]
    [InlineData(2, 0.1, 3, 1)]   // never below one item per source
    public void ItemsPerSource_SplitsTheReplayShareEqually(int prompts, double ratio, int sources, int expected)
    {
        var o = new ReplayOptions { Ratio = ratio };
        for (int i = 0; i < sources; i++) o.Sources.Add(Source($"s{i}"));
        Assert.Equal(expected, o.ItemsPerSource(prompts));
    }
}
