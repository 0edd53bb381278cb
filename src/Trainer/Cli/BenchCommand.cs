using System.CommandLine;
using System.Diagnostics;
using RlTrainer.Rewards.Mixing;
using RlTrainer.Rewards.Scoring;

namespace RlTrainer.Trainer.Cli;

/// <summary>
/// `rltrainer bench &lt;what&gt;`: throughput measurements, one subcommand per part of the pipeline, each built by
/// its own static method below.
/// </summary>
internal static class BenchCommand
{
    public static Command Create()
    {
        var command = new Command("bench", "Measure throughput of a part of the pipeline.");
        foreach (var subcommand in new[] { Score(), BenchRolloutCommand.Create(), BenchTrainCommand.Create(), BenchMemoryCommand.Create() })
        {
            command.Subcommands.Add(subcommand);
        }
        return command;
    }

    /// <summary>`bench score`: completions per second through the reward mix on a seeded synthetic corpus.</summary>
    private static Command Score()
    {
        var count = new Option<int>("--count") { Description = "Completions to score.", DefaultValueFactory = _ => 10_000 };
        var seed = new Option<int>("--seed") { Description = "Corpus seed.", DefaultValueFactory = _ => 1234 };
        var rewards = new Option<FileInfo?>("--rewards") { Description = "Reward mix JSON. Default: math_accuracy with weight 1." };
        var command = new Command("score", "Reward scoring throughput on mixed GSM8K/MATH-style completions.") { count, seed, rewards };
        command.SetAction(parseResult =>
        {
            if (!CommonOptions.TryLoadRewardMix(parseResult.GetValue(rewards), "bench score", out var mix)) return 2;
            var n = parseResult.GetValue(count);
            if (n < 1)
            {
                Console.Error.WriteLine($"bench score: --count must be at least 1, got {n}");
                return 2;
            }
            const int groupSize = 8;
            var total = (n + groupSize - 1) / groupSize * groupSize; // whole groups, for normalize_then_sum
            var corpus = SyntheticCompletionCorpus.Generate(total, parseResult.GetValue(seed)).Select(c => c.Input).ToArray();
            mix.Score(corpus.Take(256).ToArray(), groupSize); // warm-up: JIT and regex construction

            var watch = Stopwatch.StartNew();
            var scores = mix.Score(corpus, groupSize);
            watch.Stop();

            var perSecond = total / watch.Elapsed.TotalSeconds;
            var chars = corpus.Sum(c => (long)c.Completion.Length);
            Console.WriteLine($"bench score: {total} completions ({chars / total} chars on average) in {watch.Elapsed.TotalSeconds:F3} s " +
                              $"= {perSecond:F0} completions/s, {watch.Elapsed.TotalMilliseconds * 1000 / total:F1} µs each");
            for (var k = 0; k < mix.Components.Count; k++)
            {
                var values = scores.Components.Select(row => row[k]).ToArray();
                var applicable = values.Where(v => v is not null).Select(v => v!.Value).ToArray();
                var mean = applicable.Length == 0 ? double.NaN : applicable.Average();
                Console.WriteLine($"  {mix.Components[k].Name} ({mix.Components[k].Function.Type}): mean {mean:F4} over {applicable.Length} applicable");
            }
            return 0;
        });
        return command;
    }
}
