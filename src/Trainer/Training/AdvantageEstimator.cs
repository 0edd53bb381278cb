using System.Text.Json.Nodes;
using RlTrainer.Trainer.Objectives;
using RlTrainer.Trainer.Contracts;

namespace RlTrainer.Trainer.Training;

/// <summary>
/// Rewards → advantages for one batch, with the Algorithm:Advantage normalisation: GRPO group normalisation,
/// TMN-Reweight or RLOO. The same estimator serves the policy update and the per-component
/// gradients of the gradient weighting, which must use "the same advantage estimator" (docs/algorithms.md#gradient-weighting).
/// As a step extension it writes TMN's per-task scales (<c>tmn/…</c>) into the step's metrics.
/// </summary>
public sealed class AdvantageEstimator(GroupAdvantageOptions options) : IStepExtension
{
    public string Name => "advantage";

    public void AfterUpdate(RolloutBatch batch, JsonObject line, CancellationToken ct)
    {
        if (LastTmn is not { } tmn) return;
        foreach (var (task, scale) in tmn.TaskScales) line[$"tmn/scale/{task}"] = scale;
        if (double.IsFinite(tmn.MeanPassRate)) line["tmn/mean_pass_rate"] = tmn.MeanPassRate;
        line["tmn/frac_weight_above_1"] = tmn.FractionWeightAboveOne;
    }

    /// <summary>TMN statistics of the last <see cref="Compute(RolloutBatch)"/> (null with group normalisation).</summary>
    public TmnResult? LastTmn { get; private set; }

    /// <summary>Advantages of the batch's rewards, times <see cref="RolloutBatch.AdvantageScale"/>.</summary>
    public double[] Compute(RolloutBatch batch)
    {
        var tasks = batch.Samples.Select(s => s.DataSource).ToArray();
        var advantages = Compute(batch.Rewards, batch.GroupSize, tasks, out var tmnResult);
        LastTmn = tmnResult;
        if (batch.AdvantageScale != 1.0)
            for (int i = 0; i < advantages.Length; i++) advantages[i] *= batch.AdvantageScale;
        return advantages;
    }

    /// <summary>Advantages of arbitrary rewards laid out as the batch's groups (one objective's rewards, say).</summary>
    public double[] Compute(double[] rewards, int groupSize, IReadOnlyList<string> tasks) => Compute(rewards, groupSize, tasks, out _);

    private double[] Compute(double[] rewards, int groupSize, IReadOnlyList<string> tasks, out TmnResult? tmnResult)
    {
        if (options.Normalization == AdvantageNormalization.Tmn)
        {
            tmnResult = TmnAdvantage.Compute(rewards, groupSize, tasks, options.Tmn);
            return tmnResult.Advantages;
        }
        tmnResult = null;
        if (options.Normalization == AdvantageNormalization.Rloo) return LeaveOneOutAdvantage.Compute(rewards, groupSize);
        return GroupAdvantage.Compute(rewards, groupSize, options.ScaleRewards, options.Epsilon, options.UnbiasedStd);
    }
}
