using Microsoft.Extensions.Configuration;
using RlTrainer.Trainer.Cli;
using RlTrainer.Trainer.Hosting;

namespace RlTrainer.Trainer.Tests.Hosting;

public sealed class ConfigurationKeyCheckTests
{
    private static IReadOnlyList<string> Failures(params (string Key, string? Value)[] pairs) => ConfigurationKeyCheck.Failures(
        new ConfigurationBuilder().AddInMemoryCollection(pairs.Select(p => KeyValuePair.Create(p.Key, p.Value))).Build(),
        TrainCommand.RunSections());

    public static TheoryData<string> ShippedConfigs() => new(Directory.GetFiles(RepoPaths.Of("configs"), "*.json")
        .Where(f => !Path.GetFileName(f).StartsWith("rewards.", StringComparison.Ordinal)).Select(Path.GetFileName)!);

    [Theory]
    [MemberData(nameof(ShippedConfigs))]
    public void ShippedRunConfigs_Pass(string name)
    {
        var configuration = new ConfigurationManager().AddJsonConfigFile(RepoPaths.Of("configs", name), "--config");
        Assert.Empty(ConfigurationKeyCheck.Failures(configuration, TrainCommand.RunSections()));
    }

    [Fact]
    public void NestedObjectsListsAndDictionaries_AreCheckedInside()
    {
        Assert.Empty(Failures(("Data:Columns:Prompt", "q"), ("Data:Files:0", "a"), ("Eval:Sets:gsm8k:0", "g.parquet"),
            ("Algorithm:Grpo:Beta", "0.1"), ("Rollout:TopK", "")));
        Assert.Equal(new[] { "Data:Columns:Promt: unknown key; did you mean Data:Columns:Prompt?" }, Failures(("Data:Columns:Promt", "q")));
        Assert.Equal(new[] { "Algorithm:Grpo:Betta: unknown key; did you mean Algorithm:Grpo:Beta?" }, Failures(("Algorithm:Grpo:Betta", "1")));
        Assert.Equal(new[] { "Data:Files:x: expected a list ([ ... ]), not an object with key 'x'." }, Failures(("Data:Files:x", "a")));
    }

    [Fact]
    public void MovedKey_NamesItsNewHome()
    {
        Assert.Equal(new[] { "Algorithm:Grpo:NumIterations: unknown key; it moved to Training:NumIterations." },
            Failures(("Algorithm:Grpo:NumIterations", "2")));
        Assert.Equal(new[] { "Algorithm:Grpo:MaskTruncatedCompletions: unknown key; it moved to Training:MaskTruncatedCompletions." },
            Failures(("Algorithm:Grpo:MaskTruncatedCompletions", "true")));
    }

    [Fact]
    public void UnknownKeyWithNothingClose_ListsTheSectionsKeys()
    {
        var failure = Assert.Single(Failures(("Checkpoint:Zzzzzz", "1")));
        Assert.StartsWith("Checkpoint:Zzzzzz: unknown key; Checkpoint holds ", failure);
        Assert.Contains("KeepLast", failure);
    }

    [Fact]
    public void Values_MustConvert()
    {
        Assert.Equal(new[] { "Training:Overwrite = 'yes': expected true or false." }, Failures(("Training:Overwrite", "yes")));
        Assert.Equal(new[] { "Rollout:Temperature = 'hot': expected a number." }, Failures(("Rollout:Temperature", "hot")));
        Assert.Equal(new[] { "Rollout:GroupSize: expected a single value (a whole number), not an object or a list." },
            Failures(("Rollout:GroupSize:a", "1")));
    }
}
