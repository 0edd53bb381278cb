using RlTrainer.Trainer.Errors;

namespace RlTrainer.Trainer.Tests.Errors;

public sealed class ClosestNameTests
{
    [Theory]
    [InlineData("Temprature", "Temperature")]   // one letter left out
    [InlineData("GroupSise", "GroupSize")]      // one letter wrong
    [InlineData("gropusize", "GroupSize")]      // two letters swapped, case ignored
    [InlineData("MaxStep", "MaxSteps")]
    public void Find_AMisspelling_GivesTheMeantName(string typed, string meant) =>
        Assert.Equal(meant, ClosestName.Find(typed, new[] { "Temperature", "GroupSize", "MaxSteps", "MaxNewTokens", "TopP" }));

    [Fact]
    public void Find_NothingClose_GivesNull() =>
        Assert.Null(ClosestName.Find("Learning", new[] { "Temperature", "GroupSize", "TopP" }));

    [Theory]
    [InlineData("kitten", "sitting", 3)]   // the textbook Levenshtein pair
    [InlineData("ab", "ba", 1)]            // a swap of neighbours costs 1
    [InlineData("", "abc", 3)]
    public void Distance_MatchesHandCount(string a, string b, int expected) => Assert.Equal(expected, ClosestName.Distance(a, b));
}
