using System.Globalization;
using System.Text.Json.Nodes;
using RlTrainer.Rewards.Mixing;
using RlTrainer.Trainer.Contracts;

namespace RlTrainer.Trainer.Training;

/// <summary>The metrics.jsonl line of one training step, and its one-line console form.</summary>
public static class StepMetrics
{
    /// <param name="stepSeconds">The learner's wall time of the step: its rollout (or, with asynchronous rollouts, its
    /// wait for the producer's batch), the extensions and the update. rollout/seconds is the sampling time of the
    /// batch, which with asynchronous rollouts overlapped earlier steps.</param>
    public static JsonObject Build(int step, RolloutBatch batch, UpdateStats update, double stepSeconds, double elapsedSeconds)
    {
        var s = batch.Samples;
        var rewards = s.Select(x => x.Reward).Where(double.IsFinite).DefaultIfEmpty(0).ToArray();
        var rewardMoments = GroupMoments.Of(rewards);
        var lengths = s.Select(x => (double)x.CompletionIds.Count).DefaultIfEmpty(0).ToArray();
        var line = new JsonObject
        {
            ["step"] = step,
            ["type"] = "train",
            ["time_s"] = elapsedSeconds,
            ["reward/mean"] = rewardMoments.Mean,
            ["reward/std"] = rewardMoments.Std(unbiased: false),
            ["accuracy"] = s.Count == 0 ? 0 : s.Average(x => x.Correct ? 1.0 : 0.0),
            ["advantage/mean"] = update.AdvantageMean,
            ["advantage/std"] = update.AdvantageStd,
            ["advantage/abs_max"] = update.AdvantageAbsMax,
            ["completion/length_mean"] = lengths.Average(),
            ["completion/length_max"] = lengths.Max(),
            ["completion/truncated_rate"] = s.Count == 0 ? 0 : s.Average(x => x.Truncated ? 1.0 : 0.0),
            ["groups/zero_variance"] = batch.ZeroVarianceGroups,
            ["groups/dropped"] = batch.DroppedGroups,
            ["rollout/seconds"] = batch.Seconds,
            ["rollout/tokens_per_s"] = batch.SampledTokens / Math.Max(1e-9, batch.Seconds),
            ["rollout/tokens"] = batch.SampledTokens,
            ["update/seconds"] = update.Seconds,
            ["update/tokens_per_s"] = update.TrainedTokens / Math.Max(1e-9, update.Seconds),
            ["update/tokens"] = update.TrainedTokens,
            ["step/seconds"] = stepSeconds,
            ["lr"] = update.Lr,
            ["grad_norm"] = update.GradNorm,
            ["rss_mib"] = RssSampler.Current() / (1024.0 * 1024.0),
        };
        for (int k = 0; k < batch.ComponentNames.Count; k++)
        {
            var values = s.Select(x => x.Components[k]).Where(v => v is not null).Select(v => v!.Value).ToArray();
            if (values.Length == 0) continue;
            var moments = GroupMoments.Of(values);
            line[$"reward/{batch.ComponentNames[k]}/mean"] = moments.Mean;
            line[$"reward/{batch.ComponentNames[k]}/std"] = moments.Std(unbiased: false);
        }
        foreach (var (k, v) in update.Metrics) line[$"objective/{k}"] = v;
        foreach (var (k, v) in batch.Extra) line[k] = v;
        return line;
    }

    public static string ConsoleLine(JsonObject l)
    {
        string F(string key, string format) =>
            l[key] is { } n ? n.GetValue<double>().ToString(format, CultureInfo.InvariantCulture) : "-";
        var ess = l["objective/ess"] is not null ? $" ess {F("objective/ess", "F3")}" : "";
        return $"step {l["step"]} reward {F("reward/mean", "F3")} acc {F("accuracy", "P1")} len {F("completion/length_mean", "F1")}" +
               $"{ess} entropy {F("objective/entropy", "F3")} grad {F("grad_norm", "F3")} lr {F("lr", "E2")}" +
               $" rollout {F("rollout/seconds", "F1")}s update {F("update/seconds", "F1")}s";
    }
}
