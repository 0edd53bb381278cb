using System.CommandLine;
using System.Text;
using RlTrainer.Rewards.Mixing;
using RlTrainer.Rewards.Scoring;

namespace RlTrainer.Trainer.Cli;

/// <summary>
/// `rltrainer score`: JSONL {"completion", "ground_truth"} on standard input → one JSONL line
/// {"correct", "reward", "rewards", "extracted"} per record on standard output, in order. Bad lines are reported on
/// standard error with their line number and the exit code is then 1; a bad reward file exits with 2.
/// </summary>
internal static class ScoreCommand
{
    public static Command Create()
    {
        var rewards = new Option<FileInfo?>("--rewards")
        {
            Description = "Reward mix JSON (see configs/rewards.example.jsonc). Default: math_accuracy with weight 1.",
        };
        var groupSize = new Option<int>("--group-size")
        {
            Description = "Consecutive records per group for \"normalize_then_sum\" (0: the whole input is one group).",
            DefaultValueFactory = _ => 0,
        };
        var command = new Command("score",
            "Score JSONL completions from standard input: {\"completion\", \"ground_truth\"} per line (optional " +
            "\"completion_tokens\", \"max_completion_tokens\", \"data_source\", \"prompt\"). Writes {\"correct\", " +
            "\"reward\", \"rewards\", \"extracted\"} per line.") { rewards, groupSize };
        command.SetAction(parseResult =>
        {
            var mix = CommonOptions.LoadRewardMix(parseResult.GetValue(rewards));
            var size = parseResult.GetValue(groupSize);
            if (size < 0)
            {
                Console.Error.WriteLine($"score: --group-size must be 0 or more, got {size}");
                return 2;
            }
            using var input = new StreamReader(Console.OpenStandardInput(), Encoding.UTF8);
            using var output = new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(false));
            var badLines = new JsonlRewardScorer(mix, size).Run(input, output, Console.Error);
            output.Flush();
            if (badLines > 0) Console.Error.WriteLine($"score: {badLines} bad line(s) skipped");
            return badLines > 0 ? 1 : 0;
        });
        return command;
    }
}
