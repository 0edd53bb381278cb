using RlTrainer.Trainer.Evaluation;

namespace RlTrainer.Trainer.Tests.Evaluation;

public class EvalSetsValidatorTests
{
    [Fact]
    public void BadNamesAndEmptyFileLists_AreAllListed_BeforeAnyDataIsRead()
    {
        var options = new EvalOptions
        {
            Sets = { ["two words"] = ["a.parquet"], ["held-out"] = ["b.parquet"], ["general"] = [], ["fine"] = ["missing.parquet"] },
        };
        var result = new EvalSetsValidator().Validate(null, options);
        Assert.Equal(
        [
            "Eval:Sets:general = []: give at least one file or glob, and no empty entries.",
            "Eval:Sets:held-out: the name is taken by the main held-out set or one of its data sources; choose another.",
            "Eval:Sets:two words: a set name is letters, digits, '_', '-' or '.'.",
        ], result.Failures);
    }

    [Fact]
    public void ANameOnlyTheDataCanTake_PassesAtStart()
    {
        // "arith" collides only if the main held-out set has that data source, which EvalSet.LoadAll checks.
        Assert.True(new EvalSetsValidator().Validate(null, new EvalOptions { Sets = { ["arith"] = ["a.parquet"] } }).Succeeded);
        Assert.True(new EvalSetsValidator().Validate(null, new EvalOptions()).Succeeded);
    }
}
