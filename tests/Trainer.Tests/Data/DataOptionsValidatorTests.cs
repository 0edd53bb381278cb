using RlTrainer.Trainer.Data;

namespace RlTrainer.Trainer.Tests.Data;

public sealed class DataOptionsValidatorTests
{
    private static IEnumerable<string> Failures(DataOptions options) =>
        new DataOptionsValidator().Validate(null, options).Failures ?? [];

    [Fact]
    public void Defaults_WithAFile_AreValid() =>
        Assert.Empty(Failures(new DataOptions { Files = ["a.parquet"] }));

    [Fact]
    public void NoFiles_Fails() =>
        Assert.Contains(Failures(new DataOptions()), f => f.StartsWith("Data.Files:"));

    [Fact]
    public void CustomWithoutPromptOrGroundTruth_NamesBoth()
    {
        var failures = Failures(new DataOptions { Files = ["a.parquet"], Shape = DataShape.Custom }).ToList();

        Assert.Contains("Data.Columns.Prompt: required when Shape is Custom.", failures);
        Assert.Contains("Data.Columns.GroundTruth: required when Shape is Custom.", failures);
    }

    [Fact]
    public void FractionOfOne_Fails() =>
        Assert.Contains(Failures(new DataOptions { Files = ["a.parquet"], HeldOutFraction = 1.0 }), f => f.Contains("HeldOutFraction"));
}
