using RlTrainer.Trainer.Evaluation;

namespace RlTrainer.Trainer.Tests.Evaluation;

public class EvalSetTests
{
    private static readonly string General = RepoPaths.Of("data", "general", "test.parquet");

    private static EvalOptions With(string name, params string[] files) => new() { Sets = { [name] = files.ToList() } };

    [Fact]
    public void LoadAll_ReadsEverySet_InNameOrder()
    {
        var options = new EvalOptions { Sets = { ["zeta"] = new() { General }, ["general"] = new() { General } } };
        var sets = EvalSet.LoadAll(options, new[] { "arith" });
        Assert.Equal(new[] { "general", "zeta" }, sets.Select(s => s.Name));
        Assert.Equal(300, sets[0].Examples.Count);
    }

    [Theory]
    [InlineData("arith")]      // a data source of the main held-out set: eval/arith/accuracy is taken
    [InlineData("held-out")]   // the main set's own name
    [InlineData("two words")]
    public void LoadAll_RejectsNamesThatCannotBeKeys_NamingTheKey(string name)
    {
        var e = Assert.Throws<InvalidDataException>(() => EvalSet.LoadAll(With(name, General), new[] { "arith" }));
        Assert.Contains($"Eval:Sets:{name}", e.Message);
    }

    [Fact]
    public void LoadAll_RejectsASetWithoutFiles()
    {
        var e = Assert.Throws<InvalidDataException>(() => EvalSet.LoadAll(With("general"), Array.Empty<string>()));
        Assert.Contains("Eval:Sets:general = []", e.Message);
    }
}
