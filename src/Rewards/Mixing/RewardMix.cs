using RlTrainer.Rewards.Functions;
using RlTrainer.Rewards.Weighting;

namespace RlTrainer.Rewards.Mixing;

/// <summary>
/// A weighted combination of reward functions (TRL's <c>reward_funcs</c> + <c>reward_weights</c> +
/// <c>multi_objective_aggregation</c>). A null component value is left out of the total, never counted as 0.
/// Build one from JSON with <see cref="RewardMixParser"/>; <see cref="Default"/> is math_accuracy with weight 1.
/// </summary>
public sealed class RewardMix
{
    public RewardMix(IReadOnlyList<RewardComponent> components, RewardAggregation aggregation = RewardAggregation.SumThenNormalize,
                     double epsilon = GroupMoments.DefaultEpsilon, RewardWeightingOptions? weighting = null)
    {
        if (components.Count == 0) throw new ArgumentException("a reward mix needs at least one component", nameof(components));
        if (!double.IsFinite(epsilon) || epsilon < 0) throw new ArgumentOutOfRangeException(nameof(epsilon));
        Components = components;
        Aggregation = aggregation;
        Epsilon = epsilon;
        Weighting = weighting ?? RewardWeightingOptions.Default;
    }

    /// <summary>The mix used when no file is given: <c>math_accuracy</c>, weight 1, default verifier options.</summary>
    public static RewardMix Default => new(new[] { new RewardComponent("math_accuracy", new MathAccuracyReward(), 1.0) });

    public IReadOnlyList<RewardComponent> Components { get; }
    public RewardAggregation Aggregation { get; }
    public double Epsilon { get; }

    /// <summary>Dynamic weighting (static weights by default).</summary>
    public RewardWeightingOptions Weighting { get; }
    public IReadOnlyList<string> ComponentNames => Components.Select(c => c.Name).ToArray();

    /// <summary>Raw per-component values of one sample (null = not applicable).</summary>
    public double?[] ScoreComponents(RewardInput input)
    {
        var values = new double?[Components.Count];
        for (var k = 0; k < values.Length; k++) values[k] = Components[k].Score(input);
        return values;
    }

    /// <summary>
    /// Scores a batch laid out as consecutive groups of <paramref name="groupSize"/> completions of the same prompt
    /// (the layout GRPO samples in). The group size matters only for <see cref="RewardAggregation.NormalizeThenSum"/>.
    /// </summary>
    public RewardBatchScores Score(IReadOnlyList<RewardInput> inputs, int groupSize)
    {
        var raw = inputs.Select(ScoreComponents).ToArray();
        return new RewardBatchScores(ComponentNames, raw, Combine(raw, groupSize));
    }

    /// <summary>Totals from raw component values; see <see cref="RewardAggregation"/> for the formulas.</summary>
    /// <exception cref="ArgumentException">when a row has the wrong width or the batch is not whole groups.</exception>
    public double?[] Combine(IReadOnlyList<double?[]> raw, int groupSize) =>
        Combine(raw, groupSize, Components.Select(c => c.Weight).ToArray());

    /// <summary>
    /// As <see cref="Combine(IReadOnlyList{double?[]}, int)"/> with <paramref name="weights"/> in place of the
    /// configured ones: how a dynamic weighting re-scores a batch with its current weights.
    /// </summary>
    public double?[] Combine(IReadOnlyList<double?[]> raw, int groupSize, IReadOnlyList<double> weights)
    {
        if (raw.Any(r => r.Length != Components.Count)) throw new ArgumentException("one value per component expected", nameof(raw));
        if (weights.Count != Components.Count) throw new ArgumentException("one weight per component expected", nameof(weights));
        if (Aggregation == RewardAggregation.SumThenNormalize) return raw.Select(r => WeightedSum(r, weights)).ToArray();
        if (groupSize < 1 || raw.Count % groupSize != 0)
            throw new ArgumentException($"batch of {raw.Count} is not whole groups of {groupSize}", nameof(groupSize));
        var totals = new double?[raw.Count];
        for (var start = 0; start < raw.Count; start += groupSize)
        {
            var normalized = NormalizeGroup(raw, start, groupSize);
            for (var i = 0; i < groupSize; i++) totals[start + i] = WeightedSum(normalized[i], weights);
        }
        return totals;
    }

    private static double? WeightedSum(double?[] values, IReadOnlyList<double> weights)
    {
        double total = 0;
        var any = false;
        for (var k = 0; k < values.Length; k++)
        {
            if (values[k] is not { } v || double.IsNaN(v)) continue;
            total += weights[k] * v;
            any = true;
        }
        return any ? total : null;
    }

    private double?[][] NormalizeGroup(IReadOnlyList<double?[]> raw, int start, int size)
    {
        var result = new double?[size][];
        for (var i = 0; i < size; i++) result[i] = new double?[Components.Count];
        for (var k = 0; k < Components.Count; k++)
        {
            var moments = GroupMoments.Of(Enumerable.Range(start, size).Select(i => raw[i][k] ?? double.NaN).ToArray());
            if (moments.Count < 2) continue; // TRL: the unbiased std of one value is NaN, so the component drops out
            var std = moments.Std();
            for (var i = 0; i < size; i++)
            {
                if (raw[start + i][k] is { } v && !double.IsNaN(v)) result[i][k] = (v - moments.Mean) / (std + Epsilon);
            }
        }
        return result;
    }
}
