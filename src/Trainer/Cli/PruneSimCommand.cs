using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.Configuration;
using RlTrainer.Rollout.Pruning;
using RlTrainer.Rollout.Tokenization;
using RlTrainer.Trainer.Pruning;
using RlTrainer.Trainer.Reporting;
using RlTrainer.Trainer.Contracts;

namespace RlTrainer.Trainer.Cli;

/// <summary>
/// `rltrainer prune-sim --rollouts FILE --tokenizer DIR [--config RUN.json] [--rewards FILE]`: replays the pruning rules
/// on a rollout log (<c>Pruning:LogFile</c> of an unpruned run) and prints, per rule, the tokens it would save and
/// how often it would change a sample's correctness or its group's advantages (docs/algorithms.md#offline-replay).
/// </summary>
internal static class PruneSimCommand
{
    public static Command Create()
    {
        var rollouts = new Option<FileInfo>("--rollouts") { Description = "Rollout log JSONL (Pruning:LogFile of a run).", Required = true };
        var tokenizer = new Option<string>("--tokenizer") { Description = "Model folder whose tokenizer counts the injected tokens.", Required = true };
        var config = new Option<FileInfo?>("--config") { Description = "Run config whose \"Pruning\" section gives the rule settings (default: the pruning defaults, docs/algorithms.md#trace-pruning)." };
        var rewards = new Option<FileInfo?>("--rewards") { Description = "Reward mix the group abort must respect (default: math_accuracy)." };
        var output = new Option<FileInfo?>("--out") { Description = "Also write the summary as JSON here." };
        var command = new Command("prune-sim", "Replay the pruning rules on logged rollouts: tokens saved and decisions that would change.")
            { rollouts, tokenizer, config, rewards, output };
        command.SetAction(r =>
        {
            var mix = CommonOptions.LoadRewardMix(r.GetValue(rewards));
            var options = LoadOptions(r.GetValue(config));
            var file = r.GetValue(rollouts)!;
            if (!file.Exists) throw new FileNotFoundException($"--rollouts: '{file.FullName}' does not exist");
            var records = RolloutLogWriter.Read(file.FullName).ToList();
            if (records.Count == 0) throw new InvalidDataException($"{file.FullName}: no rollout records");
            if (records.Any(x => x.Sampled is not null))
                Console.Error.WriteLine("prune-sim: warning: the log holds pruned rollouts (injected tokens); the replay assumes unpruned ones");
            var summary = new PruneSimulator(options, HfTokenizer.Load(r.GetValue(tokenizer)!), mix).Run(records);
            Print(summary, Console.Out);
            if (r.GetValue(output) is { } o) File.WriteAllText(o.FullName, OutputJson.Serialize(summary, indented: true) + "\n");
            return 0;
        });
        return command;
    }

    private static PruningOptions LoadOptions(FileInfo? config)
    {
        var options = new PruningOptions();
        if (config is null) return options;
        if (!config.Exists) throw new FileNotFoundException($"--config: '{config.FullName}' does not exist");
        new ConfigurationBuilder().AddJsonFile(config.FullName).Build().GetSection(PruningOptions.Section).Bind(options);
        return options;
    }

    /// <summary>The summary as the command prints it: totals, the per-rule table, and the group abort's gate.</summary>
    internal static void Print(PruneSimulator.Summary s, TextWriter o)
    {
        string P(double x) => x.ToString("P1", CultureInfo.InvariantCulture);
        o.WriteLine($"{s.Rows} rollouts in {s.Groups} groups, {s.SampledTokens} sampled tokens; " +
                    $"{s.ZeroVarianceGroups} groups ({P(s.ZeroVarianceGroups / (double)Math.Max(1, s.Groups))}) have equal rewards");
        o.WriteLine($"stable intermediate answer = final answer: {s.StableMatchesFinal}/{s.StableRows} rows " +
                    $"({P(s.StableMatchesFinal / (double)Math.Max(1, s.StableRows))}); mean ERD of correct rows {s.MeanErd:F3}");
        o.WriteLine();
        o.WriteLine("| rule | rows fired | groups fired | tokens saved | % of sampled | correctness changed | groups with changed advantages | replay |");
        o.WriteLine("|---|---:|---:|---:|---:|---:|---:|---|");
        foreach (var x in s.Rules)
            o.WriteLine($"| {x.Rule} | {x.Fired} | {x.GroupsFired} | {x.TokensSaved} | {P(x.TokensSaved / (double)Math.Max(1, s.SampledTokens))} | " +
                        $"{x.CorrectnessChanged} | {x.GroupsChanged} | {(x.Exact ? "exact" : "estimated answer")} |");
        // docs/algorithms.md#offline-replay: a group-abort setting whose false aborts exceed 2% should not be deployed.
        if (s.Rules.FirstOrDefault(x => x.Rule == "group_abort") is { GroupsFired: > 0 } abort)
        {
            double rate = abort.GroupsChanged / (double)abort.GroupsFired;
            o.WriteLine();
            o.WriteLine($"group abort: {abort.GroupsChanged} of {abort.GroupsFired} aborted groups had unequal logged rewards " +
                        $"({P(rate)}; the abort gate is 2%: {(rate <= 0.02 ? "passes" : "FAILS")})");
        }
    }
}
