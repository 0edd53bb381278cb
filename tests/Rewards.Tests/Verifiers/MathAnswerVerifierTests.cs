using System.Diagnostics;
using RlTrainer.Rewards.Verifiers;

namespace RlTrainer.Rewards.Tests.Verifiers;

/// <summary>Whole completions against ground truths, including Math-Verify's model-output regression cases (shortened).</summary>
public class MathAnswerVerifierTests
{
    private static readonly MathAnswerVerifier Verifier = new();

    [Theory]
    [InlineData(@"Since $x<2$, it follows that $|x-2|=2-x$. Thus $x-p=\boxed{2-2p}$.", "$2-2p$", true)]
    [InlineData(@"so \[p(8) = \frac{q(8) + 8}{8^2 - 1} = \boxed{\frac{3}{56}}.\]", @"$\frac{3}{56}$", true)]
    [InlineData(@"Hence, the angle between the lines is $\boxed{90^\circ}.$", @"$90^\circ$", true)]
    [InlineData(@"the polar coordinates are $\boxed{\left( 3, \frac{\pi}{2} \right)}.$", @"$(3, \frac{\pi}{2})$", true)]
    [InlineData(@"Therefore, $\boxed{\text{Evelyn}}$ is our answer.", @"$\text{Evelyn}$", true)]
    [InlineData(@"The distance is $\boxed{125\textnormal{ miles}}.$", "$125$ miles", true)]
    [InlineData(@"the only integer roots are $\boxed{-2,1}.$", "$-2,1$", true)]
    [InlineData(@"$$\frac{1}{2}\times 3 \times 10 = \boxed{15\mbox{ cm}^2}.$$", @"$15\mbox{ cm}^2$", true)]
    [InlineData(@"for a quotient of $\boxed{204_5}$.", "$204_5$", true)]
    [InlineData(@"we find $(p,q,r) = \boxed{(6,31,-1)}.$", "$(6,31,-1)$", true)]
    [InlineData(@"By the quadratic formula, $x = \boxed{1 \pm \sqrt{19}}.$", @"$1 \pm \sqrt{19}$", true)]
    [InlineData(@"Then $129^{34}+96^{38} \equiv \boxed{9} \pmod{11}.$", "$9$", true)]
    [InlineData(@"making for a total loss of $\boxed{28\%}$.", @"Let ... so $\boxed{28}$ percent.", true)]
    [InlineData(@"$\frac{1}{5}=\boxed{20 \%}. $ Final Answer: The final answer is $20 \%$. I hope it is correct.", @"Solving gives $x=1/5$, or $\boxed{20}$ percent.", true)]
    [InlineData(@"Paula's investment is worth $\boxed{\$16,\!386.20}$. The answer is $16,\!386.20$.", "$16386.20$", true)]
    [InlineData(@"the point is $\boxed{(0, 0)}$. Final Answer: The final answer is $(0, 0)$. I hope it is correct.", @"$(\tfrac{27}{8},\tfrac{15}{8})$", false)]
    [InlineData("Final Answer: The final answer is $(0, 1)$. I hope it is correct. <|im_start|>user", "$[0,1)$", false)]
    [InlineData(@"is $\boxed{[-3, 2]}$. Final Answer: ... Therefore it is $\boxed{(-\infty, -3] \cup [2, \infty)}$. Final Answer: The final answer is $(-\infty, -3] \cup [2, \infty)$.", "$[-3,2]$", false)]
    [InlineData("So, the ordered pair that solves the system is $(7, 6)$. <|im_start|>user", "$(7,6)$", true)]
    [InlineData("The probability is (1/2) * (4/3) P(A) = 2/3 Therefore, the probability that Alice wins is 2/3. <|im_start|>user", "$2/3$", true)]
    [InlineData("Thus, the answer is \\( x \\in (-6, 10) \\). Final Answer: The final answer is \\((-6, 10)\\). I hope it is correct.", @"\boxed{(-6, 10)}", true)]
    [InlineData(@"Thus, the answer is $x \in \boxed{(2,12) \cup (12,102)}$", @"the domain is: \[ \boxed{(2, 12) \cup (12, 102)} \]", true)]
    [InlineData(@"is $\boxed{32, 349}$", @"So the answer is: \[ \boxed{32349} \]", false)]
    [InlineData(@"is $\boxed{32,\! 349}$", @"So the answer is: \[ \boxed{32349} \]", true)]
    [InlineData(@"Thus $\boxed{1112122_3}$.", "$1112112_3$", false)]
    [InlineData(@"**Final Answer** The integers are \boxed{-2} and \boxed{1}. </think> Thus the answer is \[ \boxed{-2} \quad \text{and} \quad \boxed{1}. \]", @"so the solutions are $n = \boxed{1,-2}.$", true)]
    [InlineData(@"the final answer is \boxed{12 $ and $13 }. $ Final Answer: The final answer is ""$12 $ and $13 $"". I hope it is correct.", @"located between $\boxed{12\text{ and }13}$.", true)]
    // GSM8K solutions as ground truth, and typical policy outputs
    [InlineData("She sold 48 + 24 = 72 clips.\n#### 72", "Natalia sold 48/2 = <<48/2=24>>24 clips in May.\n#### 72", true)]
    [InlineData(@"So she sold \boxed{72} clips.", "Natalia sold 48/2 = <<48/2=24>>24 clips in May.\n#### 72", true)]
    [InlineData(@"So she sold \boxed{73} clips.", "#### 72", false)]
    [InlineData("48 + 24 = 72, so the answer is 72 clips.", "72", true)]
    [InlineData(@"The answer is \boxed{\$1,250}.", "1250", true)]
    [InlineData(@"so \boxed{3}.", "33", false)]
    [InlineData(@"so \boxed{33}.", "3", false)]
    [InlineData("The answer is 330 because 3 + 30 = 33.", "33", false)]
    public void Verify_Completion(string completion, string groundTruth, bool expected)
    {
        var result = Verifier.Verify(completion, groundTruth);
        Assert.Null(result.Error);
        Assert.Equal(expected, result.IsCorrect);
    }

    [Fact]
    public void Verify_NoAnswerInCompletion_IsIncorrectWithNothingExtracted()
    {
        var result = Verifier.Verify("I am not sure.", "5");
        Assert.False(result.IsCorrect);
        Assert.Null(result.ExtractedAnswer);
    }

    [Fact]
    public void Verify_UngradableGold_IsNull()
    {
        Assert.Null(Verifier.Verify(@"\boxed{5}", "").IsCorrect);
        Assert.Null(Verifier.Verify(@"\boxed{5}", null).IsCorrect);
    }

    [Fact]
    public void Verify_FallbackOff_IgnoresTrailingNumber()
    {
        var strict = new MathAnswerVerifier(new MathVerifierOptions { LastNumberFallback = false });
        Assert.False(strict.Verify("I think it is 72", "72").IsCorrect);
        Assert.True(Verifier.Verify("I think it is 72", "72").IsCorrect);
    }

    public static TheoryData<string, string> PathologicalInputs() => new()
    {
        { @"\boxed{" + new string('(', 20_000) + "1" + new string(')', 20_000) + "}", "1" },
        { @"\boxed{" + string.Concat(Enumerable.Repeat(@"\sqrt{", 5000)) + "2" + new string('}', 5000) + "}", "2" },
        { @"\boxed{10^{10^{10^{10}}}}", "1" },
        { @"\boxed{9^{9^{9}} - 9^{9^{9}}}", "0" },
        { @"\boxed{" + string.Join("+", Enumerable.Repeat("x^{99}", 400)) + "}", "x" },
        { @"\boxed{" + string.Join(",", Enumerable.Repeat("1+\\sqrt{2}", 300)) + "}", "1" },
        { @"\boxed{300!}", "1" },
        { new string('9', 200_000), "9" },
        { string.Concat(Enumerable.Repeat("$1$ $", 50_000)), "1" },
        { string.Concat(Enumerable.Repeat(@"\boxed{", 3000)), "1" },
        { "answer is " + new string('-', 100_000), "1" },
        { "\u0000\uFFFF\\\\\\{\\}$$$^^^___", "1" },
    };

    [Theory]
    [MemberData(nameof(PathologicalInputs))]
    public void Verify_PathologicalInput_NeitherThrowsNorHangs(string completion, string groundTruth)
    {
        var verifier = new MathAnswerVerifier(new MathVerifierOptions { TimeoutMs = 200 });
        var watch = Stopwatch.StartNew();
        var result = verifier.Verify(completion, groundTruth);
        watch.Stop();
        Assert.Null(result.Error);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2), $"took {watch.Elapsed}");
        Assert.False(result.IsCorrect == true && groundTruth == "1" && completion.Contains("10^{10"), "overflow must not equal 1");
    }

    [Fact]
    public void Verify_TimeLimitReached_ReportsTimeoutAsIncorrect()
    {
        // 60 × 60 set-element comparisons, each at several points: far more than a millisecond of work.
        var verifier = new MathAnswerVerifier(new MathVerifierOptions { TimeoutMs = 1 });
        var gold = string.Join(", ", Enumerable.Range(1, 60).Select(i => $"\\sqrt{{x+{i}}}"));
        var predicted = string.Join(", ", Enumerable.Range(1, 60).Reverse().Select(i => $"\\sqrt{{x+{i}}}"));
        var result = verifier.Verify($"\\boxed{{{predicted}}}", gold);
        Assert.True(result.TimedOut);
        Assert.False(result.IsCorrect);
        Assert.True(Verifier.Verify($"\\boxed{{{predicted}}}", gold).IsCorrect); // with the default limit it is decided
    }
}
