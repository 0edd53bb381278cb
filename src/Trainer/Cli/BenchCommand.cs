using System.CommandLine;
using System.Diagnostics;
using RlTrainer.Rewards.Mixing;
using RlTrainer.Rewards.Scoring;
using Spectre.Console;

namespace RlTrainer.Trainer.Cli;

/// <summary>
/// `rltrainer bench &lt;what&gt;`: throughput measurements, one subcommand per part of the pipeline, each built by
/// its own static method below. All of them print through <see cref="BenchOutput"/> and so take --json.
/// </summary>
internal static class BenchCommand
{
    public static Command Create()
    {
        var command = new Command("bench", "Measure throughput of a part of the pipeline.") { BenchOutput.Json };
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
            var mix = CommonOptions.LoadRewardMix(parseResult.GetValue(rewards));
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

            double seconds = watch.Elapsed.TotalSeconds;
            var components = mix.Components.Select((c, k) =>
            {
                var applicable = scores.Components.Select(row => row[k]).Where(v => v is not null).Select(v => v!.Value).ToArray();
                return new ScoreComponent(c.Name, c.Function.Type, applicable.Length == 0 ? null : applicable.Average(), applicable.Length);
            }).ToList();
            var result = new ScoreResult(total, corpus.Sum(c => (long)c.Completion.Length) / total, seconds, total / seconds,
                seconds * 1e6 / total, components);
            BenchOutput.Write(parseResult, result, RenderScore);
            return 0;
        });
        return command;
    }

    /// <summary>What `bench score --json` prints.</summary>
    internal sealed record ScoreResult(int Completions, long MeanChars, double Seconds, double CompletionsPerSecond,
        double MicrosecondsEach, IReadOnlyList<ScoreComponent> Components);

    /// <param name="Mean">Mean score over the completions the component applies to; null when it applies to none.</param>
    internal sealed record ScoreComponent(string Name, string Type, double? Mean, int Applicable);

    private static void RenderScore(IAnsiConsole console, ScoreResult x)
    {
        console.WriteLine($"bench score: {x.Completions} completions ({x.MeanChars} chars on average) in {x.Seconds:F3} s " +
                          $"= {x.CompletionsPerSecond:F0} completions/s, {x.MicrosecondsEach:F1} µs each");
        foreach (var c in x.Components)
            console.WriteLine($"  {c.Name} ({c.Type}): mean {c.Mean ?? double.NaN:F4} over {c.Applicable} applicable");
    }
}
