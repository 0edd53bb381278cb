using RlTrainer.Rewards.Mixing;
using RlTrainer.Rollout.Pruning;
using RlTrainer.Rollout.Tokenization;
using RlTrainer.Trainer.Pruning;

namespace RlTrainer.Trainer.Tests.Pruning;

public class PruneSimulatorTests
{
    private static readonly HfTokenizer Tokenizer = HfTokenizer.Load(RepoPaths.Of("data", "models", "tiny-math"));

    /// A logged row whose "tokens" are single characters (ids are char codes): the replay only reads the pieces.
    private static RolloutLogRecord Row(int group, string text, string gold, double reward, int maxNew = 400) => new()
    {
        Step = 1, Group = group, GroundTruth = gold, MaxNewTokens = maxNew, Completion = text,
        TokenIds = text.Select(c => (int)c).ToArray(), Pieces = text.Select(c => c.ToString()).ToArray(),
        StopReason = "eos", Reward = reward, Correct = reward > 0,
    };

    private const string Verbose = "10 / 2 = 5. \\boxed{5}\n\nWait, check: \\boxed{5}\n\nBut again \\boxed{5}\n\nHmm, \\boxed{5}\n\n**Final Answer**\n\\boxed{5}";

    [Fact]
    public void Overthink_SavesTheTailNetOfTheConclusion()
    {
        var options = new PruningOptions();
        var sim = new PruneSimulator(options, Tokenizer, RewardMix.Default);
        var result = sim.Run([Row(0, Verbose, "5", 1), Row(0, "10 / 2 = 5. \\boxed{5}", "5", 1)]).Rules.Single(r => r.Rule == "overthink");
        Assert.Equal(1, result.Fired);
        // Fires when "\n\nHmm" closes the third answer-bearing segment.
        int at = Verbose.IndexOf("\n\nHmm", StringComparison.Ordinal) + "\n\nHmm".Length;
        int cost = Tokenizer.Encode(options.MildInject).Count + Tokenizer.Encode("\\boxed{5}").Count + 1;
        Assert.Equal(Verbose.Length - at - cost, result.TokensSaved);
        Assert.Equal(0, result.CorrectnessChanged);
    }

    [Fact]
    public void GroupAbort_CountsRunningRowsAfterTheCheck_AndFlagsMixedGroups()
    {
        var options = new PruningOptions { GroupAbort = new() { CheckEvery = 40, MinTokensFraction = 0 } };
        var sim = new PruneSimulator(options, Tokenizer, RewardMix.Default);
        // Group 0: two verbose rows; the second answer is observed when the brace of the second box closes, and the
        // first check at or after that (a multiple of 40 tokens) aborts the group; each row saves the rest of its length.
        // Group 1: same texts but logged rewards differ (one would have been graded wrong) → an abort there is false.
        var rows = new[] { Row(0, Verbose, "5", 1), Row(0, Verbose, "5", 1), Row(1, Verbose, "5", 1), Row(1, Verbose, "5", 0) };
        var result = sim.Run(rows).Rules.Single(r => r.Rule == "group_abort");
        int stableAt = Verbose.IndexOf('}', Verbose.IndexOf('}') + 1) + 1;
        int check = (stableAt + 39) / 40 * 40;
        Assert.Equal(4, result.Fired);
        Assert.Equal(2, result.GroupsFired);
        Assert.Equal(4L * (Verbose.Length - check), result.TokensSaved);
        Assert.Equal(1, result.GroupsChanged);
    }

    [Fact]
    public void GroupAbort_NeverFiresOnAGroupWhoseAnswersDiffer()
    {
        var options = new PruningOptions { GroupAbort = new() { CheckEvery = 10, MinTokensFraction = 0 } };
        var sim = new PruneSimulator(options, Tokenizer, RewardMix.Default);
        var six = Verbose.Replace("5", "6").Replace("10 / 2 = 6", "10 / 2 = 5");
        var result = sim.Run([Row(0, Verbose, "5", 1), Row(0, six, "5", 0)]).Rules.Single(r => r.Rule == "group_abort");
        Assert.Equal(0, result.Fired);
    }

    [Fact]
    public void LooseGroupAbort_StopsAllWrongGroupsWhoseAnswersDiffer_OnlyUnderARewardFixedForWrongAnswers()
    {
        var loose = new PruningOptions { GroupAbort = new() { CheckEvery = 5, MinTokensFraction = 0, StableObservations = 1, RequireAgreement = false } };
        // Two wrong rows with different answers; each keeps re-checking after its first box.
        const string six = "10 / 2 = 6. \\boxed{6}\n\nWait, check: 10 / 2 = 6. \\boxed{6}";
        const string four = "10 / 2 = 4. \\boxed{4}\n\nWait, check: 10 / 2 = 4. \\boxed{4}";
        var rows = new[] { Row(0, six, "5", 0), Row(0, four, "5", 0) };
        var accuracyAndErd = RewardMixParser.Parse("""
            { "components": [ { "name": "accuracy", "type": "math_accuracy", "weight": 1 },
                              { "name": "erd", "type": "external_redundancy", "weight": 1 } ] }
            """, "test");
        var result = new PruneSimulator(loose, Tokenizer, accuracyAndErd).Run(rows).Rules.Single(r => r.Rule == "group_abort");
        // Both first boxes close at character 22 (the same length), so the check after token 25 aborts the group.
        Assert.Equal(six.IndexOf('}') + 1, four.IndexOf('}') + 1);
        Assert.Equal(1, result.GroupsFired);
        Assert.Equal((long)(six.Length - 25) + (four.Length - 25), result.TokensSaved);
        Assert.Equal(0, result.GroupsChanged);
        // The default rule (S = 2, answers that agree) keeps the group.
        Assert.Equal(0, new PruneSimulator(new PruningOptions { GroupAbort = new() { CheckEvery = 5, MinTokensFraction = 0 } }, Tokenizer,
            accuracyAndErd).Run(rows).Rules.Single(r => r.Rule == "group_abort").GroupsFired);
        // A length term in the mix makes wrong answers' rewards differ: no abort.
        var withOverlong = RewardMixParser.Parse("""
            { "components": [ { "name": "accuracy", "type": "math_accuracy", "weight": 1 },
                              { "name": "overlong", "type": "overlong_penalty", "weight": 1, "options": { "buffer_tokens": 8 } } ] }
            """, "test");
        Assert.Equal(0, new PruneSimulator(loose, Tokenizer, withOverlong).Run(rows).Rules.Single(r => r.Rule == "group_abort").GroupsFired);
    }
}
