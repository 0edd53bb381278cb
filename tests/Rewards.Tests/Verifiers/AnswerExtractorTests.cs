using RlTrainer.Rewards.Verifiers;

namespace RlTrainer.Rewards.Tests.Verifiers;

public class AnswerExtractorTests
{
    [Theory]
    [InlineData(@"So the answer is \boxed{72}.", "72", AnswerSource.Boxed)]
    [InlineData(@"Thus $x = \boxed{\frac{1}{2}}$.", @"\frac{1}{2}", AnswerSource.Boxed)]
    [InlineData(@"nested \boxed{\frac{\sqrt{2}}{2}} done", @"\frac{\sqrt{2}}{2}", AnswerSource.Boxed)]
    [InlineData(@"first \boxed{3} but checking again gives \boxed{33}", "33", AnswerSource.Boxed)]
    // Math-Verify's joining of boxes: under 10 characters apart, or under 70 with "and"/"or"/","/";" between.
    [InlineData(@"first \boxed{3} then \boxed{33}", "3, 33", AnswerSource.Boxed)]
    [InlineData(@"\boxed{1} papers and \boxed{2} bins", "1, 2", AnswerSource.Boxed)]
    [InlineData(@"\boxed{1} no no no no no \boxed{2}", "2", AnswerSource.Boxed)]
    [InlineData(@"\boxed{4} and \boxed{4}", "4", AnswerSource.Boxed)]
    [InlineData(@"\boxed{7} so, after a lot more checking, \boxed{7}", "7", AnswerSource.Boxed)]
    [InlineData(@"$$\boxed{(3, 3)} \text{ for part (a) and } \boxed{(1, 1)}$$", "(3, 3), (1, 1)", AnswerSource.Boxed)]
    [InlineData(@"\fbox{7}", "7", AnswerSource.Boxed)]
    [InlineData(@"verl form \boxed 5 done", "5", AnswerSource.Boxed)]
    [InlineData(@"set \boxed{\{1, 2\}}", @"\{1, 2\}", AnswerSource.Boxed)]
    [InlineData(@"The integers are \boxed{-2} and \boxed{1}.", "-2, 1", AnswerSource.Boxed)]
    [InlineData(@"$\boxed{1}\boxed{2}$", "1, 2", AnswerSource.Boxed)]
    [InlineData(@"We get \boxed{3}. Checking another case gives \boxed{5}.", "5", AnswerSource.Boxed)]
    [InlineData("Natalia sold 48/2 = <<48/2=24>>24 clips in May.\n#### 72", "72", AnswerSource.Gsm8kMarker)]
    [InlineData("#### 1,000\n", "1,000", AnswerSource.Gsm8kMarker)]
    [InlineData("The answer is 42.", "42", AnswerSource.AnswerPhrase)]
    [InlineData("Final Answer: The final answer is $28 \\%$. I hope it is correct.", @"28 \%", AnswerSource.AnswerPhrase)]
    [InlineData("Final Answer: The final answer is 12,000,023. I hope it is correct. <|im_start|>user", "12,000,023", AnswerSource.AnswerPhrase)]
    [InlineData("Final Answer: The largest $n$ is 34.", "34", AnswerSource.AnswerPhrase)]
    [InlineData("Final Answer: Jane started growing Sphere 3 hours ago. I hope it is correct.", "3", AnswerSource.AnswerPhrase)]
    [InlineData("So the answer is (B).", "(B)", AnswerSource.AnswerPhrase)]
    [InlineData("The answer is 330 because 3 + 30 = 33.", "330", AnswerSource.AnswerPhrase)]
    [InlineData("The final answer is \"$12 $ and $13 $\". I hope it is correct.", "$12 $ and $13 $", AnswerSource.AnswerPhrase)]
    [InlineData("**Answer:** 17", "17", AnswerSource.AnswerPhrase)]
    [InlineData("The final answer is 7.78.", "7.78", AnswerSource.AnswerPhrase)]
    [InlineData(@"The answer is $\frac{1}{3}.$", @"\frac{1}{3}.", AnswerSource.AnswerPhrase)]
    [InlineData("The answer is 4 4/9.", "4 4/9", AnswerSource.AnswerPhrase)]
    public void FromCompletion_ExplicitAnswers(string completion, string expected, AnswerSource source)
    {
        var answer = AnswerExtractor.FromCompletion(completion);
        Assert.NotNull(answer);
        Assert.Equal(expected, answer.Text);
        Assert.Equal(source, answer.Source);
    }

    [Fact]
    public void FromCompletion_LaterAnswerPhraseBeatsEarlierBoxes()
    {
        var text = @"interest is \boxed{200}. Then \boxed{255}. Final Answer: The final answer is $10,455$. I hope it is correct.";
        Assert.Equal("10,455", AnswerExtractor.FromCompletion(text)!.Text);
    }

    [Fact]
    public void FromCompletion_BoxAfterPhraseTriggerWins()
    {
        Assert.Equal("5", AnswerExtractor.FromCompletion(@"The answer is \boxed{5}.")!.Text);
    }

    [Theory]
    [InlineData("the probability is 2/3. <|im_start|>user", "2/3", AnswerSource.LastNumber)]
    [InlineData("so there are 12 sequences. I hope it is correct.", "12", AnswerSource.LastNumber)]
    [InlineData("so the pair is $(7, 6)$. <|im_start|>user", "(7, 6)", AnswerSource.LastMathSpan)]
    [InlineData("The volume of $ABCDEFGH$ is 120.", "120", AnswerSource.LastNumber)]
    [InlineData("which is 1,000.99m² overall", "1,000.99", AnswerSource.LastNumber)]
    [InlineData("it grew by 100%.", "100%", AnswerSource.LastNumber)]
    [InlineData("we have $2^{10}.$", "2^{10}.", AnswerSource.LastMathSpan)]
    [InlineData("from 3-5 apples", "5", AnswerSource.LastNumber)]
    [InlineData("Answer \\[ \n 9 \n \\]", " \n 9 \n ", AnswerSource.LastMathSpan)]
    [InlineData("the total is -7", "-7", AnswerSource.LastNumber)]
    public void FromCompletion_Fallbacks(string completion, string expected, AnswerSource source)
    {
        var answer = AnswerExtractor.FromCompletion(completion);
        Assert.NotNull(answer);
        Assert.Equal(expected, answer.Text);
        Assert.Equal(source, answer.Source);
    }

    [Theory]
    [InlineData("AZYUK2A")]
    [InlineData("no numbers here")]
    [InlineData("")]
    [InlineData(@"the answer is \boxed{12")] // truncated box: the model never finished its answer
    [InlineData(@"\boxed{3} and later \boxed{1")]
    public void FromCompletion_NoAnswer(string completion)
    {
        Assert.Null(AnswerExtractor.FromCompletion(completion));
    }

    [Fact]
    public void FromCompletion_FallbackSwitchedOff_RequiresExplicitAnswer()
    {
        Assert.Null(AnswerExtractor.FromCompletion("so there are 12 sequences", lastNumberFallback: false));
        Assert.Equal("12", AnswerExtractor.FromCompletion(@"so \boxed{12}", lastNumberFallback: false)!.Text);
    }

    [Fact]
    public void FromCompletion_ThinkingPart_ConclusionFirstThenThinkingBox()
    {
        Assert.Equal("4", AnswerExtractor.FromCompletion(@"<think>maybe \boxed{3}</think> The answer is \boxed{4}.")!.Text);
        Assert.Equal("3", AnswerExtractor.FromCompletion(@"<think>so **Final Answer** \boxed{3}</think>")!.Text);
        Assert.Equal("3", AnswerExtractor.FromCompletion(@"<think>so \boxed{3}</think> Done, as shown.")!.Text);
    }

    [Theory]
    [InlineData("72", "72")]
    [InlineData(@"$\frac{1}{3}$", @"$\frac{1}{3}$")]
    [InlineData("Natalia sold 48/2 = <<48/2=24>>24 clips in May.\nNatalia sold 48+24 = <<48+24=72>>72 clips.\n#### 72", "72")]
    [InlineData(@"Thus $x - p = \boxed{2-2p}$.", "2-2p")]
    [InlineData(@"x \in \boxed{\{-1\} \cup [0,7)}.$", @"\{-1\} \cup [0,7)")]
    public void FromGroundTruth(string groundTruth, string expected)
    {
        Assert.Equal(expected, AnswerExtractor.FromGroundTruth(groundTruth));
    }

    [Fact]
    public void FromGroundTruth_Empty_IsNull()
    {
        Assert.Null(AnswerExtractor.FromGroundTruth("  "));
    }

    [Theory]
    [InlineData(@"so $\boxed{\frac{3}{4}}$.", @"\frac{3}{4}")]
    [InlineData(@"\fbox{5}", "5")]
    [InlineData(@"answer \boxed 12$ done", "12")]
    [InlineData(@"the set is \boxed{\{1, 2\}}.", @"\{1, 2\}")]
    [InlineData(@"\boxed{\}} closes once", @"\}")]
    [InlineData(@"\boxed{1} and \boxed{2}", "1, 2")]
    [InlineData(@"first \boxed{1}, which is wrong: after checking every one of the cases again, slowly and with care, the answer is \boxed{x^{2}+1}", "x^{2}+1")]
    [InlineData(@"\boxed{}", null)]
    [InlineData(@"\boxed{\frac{1}{2}", null)]
    [InlineData(@"\boxed{3} then \boxed{\{4\}", null)]
    [InlineData("no box", null)]
    public void LastBoxed_ReadsGoldSolutionsAsCompletions(string text, string? expected)
    {
        Assert.Equal(expected, AnswerExtractor.LastBoxed(text));
        if (expected is not null) Assert.Equal(expected, AnswerExtractor.FromCompletion(text)!.Text);
    }
}
