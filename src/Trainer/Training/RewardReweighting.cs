using System.Diagnostics;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RlTrainer.Rewards.Mixing;
using RlTrainer.Rewards.Weighting;
using RlTrainer.Trainer.Contracts;
using RlTrainer.Trainer.Evaluation;
using RlTrainer.Trainer.Optimization;

namespace RlTrainer.Trainer.Training;

/// <summary>
/// Step extension that applies the reward mix's weighting (docs/algorithms.md#hypervolume-weighting,
/// #gradient-weighting). Static: nothing changes but the weights/… metrics. Hypervolume: each step's advantages (or
/// rewards) are multiplied by r_pareto, and after the update a greedy validation point on a held-out slice updates the
/// Pareto buffer and r_pareto for the next step. Gradient: before the update, one backward per reward component gives
/// the influences, the weights take a mirror-descent step, and the batch's totals are recombined with the new weights.
/// Its state (buffer and meta-reward, or weights and accumulated influence) is saved in trainer_state.json under
/// <see cref="Name"/>.
/// </summary>
public sealed class RewardReweighting(AdvantageEstimator estimator, IOptions<RolloutOptions> rollout, IOptions<EvalOptions> eval,
    IOptions<OptimizerOptions> optimizer, IOptions<TrainingOptions> training, ILogger<RewardReweighting> logger) : IStepExtension
{
    private readonly JsonObject _stepMetrics = new();
    private RewardMix _mix = null!;
    private ComponentValidator? _validator;
    private HypervolumeWeighting? _hypervolume;
    private GradientWeighting? _gradient;
    private ComponentGradients? _componentGradients;

    public string Name => "reward_weighting";

    /// <summary>The weights the totals are combined with now.</summary>
    public IReadOnlyList<double> Weights => _gradient?.Weights ?? _mix.Components.Select(c => c.Weight).ToArray();

    /// <summary>
    /// The weighting of the run's mix. The hypervolume validation slice is the last
    /// <see cref="HypervolumeWeightingOptions.ValidationProblems"/> held-out problems, so that an Eval:Limit below the
    /// rest keeps the final evaluation disjoint from it.
    /// </summary>
    public void Attach(TrainingRun run)
    {
        _mix = run.Rewards;
        var w = _mix.Weighting;
        if (w.Method == WeightingMethod.Hypervolume)
        {
            var heldOut = run.Dataset.HeldOut;
            if (heldOut.Count == 0)
                throw new InvalidOperationException("Rewards: \"weighting\": \"hypervolume\" needs a held-out set for its validation points: set Data:HeldOutFiles or Data:HeldOutFraction.");
            var slice = heldOut.Skip(Math.Max(0, heldOut.Count - w.Hypervolume!.ValidationProblems)).ToList();
            _validator = new ComponentValidator(run.Policy, run.Encoder, _mix, slice, rollout.Value.MaxNewTokens, eval.Value.BatchSize);
            _hypervolume = new HypervolumeWeighting(w.Hypervolume);
        }
        if (w.Method == WeightingMethod.Gradient)
        {
            _gradient = new GradientWeighting(_mix.Components.Select(c => c.Weight).ToArray(), w.Gradient!);
            _componentGradients = new ComponentGradients(run.Loss, training.Value);
        }
    }

    /// <summary>The batch the update should train on: re-weighted totals (gradient) or an advantage scale (hypervolume).</summary>
    public RolloutBatch AfterRollout(RolloutBatch batch, int step, CancellationToken ct)
    {
        _stepMetrics.Clear();
        if (_hypervolume is { } hv)
        {
            if (!hv.Buffer.HasReference) MeasureReference(ct);
            _stepMetrics["weights/r_pareto"] = hv.MetaReward;
            if (_mix.Weighting.Hypervolume!.ApplyTo == MetaRewardTarget.Advantages) return batch with { AdvantageScale = hv.MetaReward };
            return batch with { Samples = batch.Samples.Select(s => s with { Reward = s.Reward * hv.MetaReward }).ToList() };
        }
        if (_gradient is null) return batch;

        var sw = Stopwatch.StartNew();
        var tasks = batch.Samples.Select(s => s.DataSource).ToArray();
        var perComponent = Enumerable.Range(0, _mix.Components.Count)
            .Select(k => estimator.Compute(batch.Samples.Select(s => s.Components[k] ?? double.NaN).ToArray(), batch.GroupSize, tasks))
            .ToList();
        var options = _mix.Weighting.Gradient!;
        var gram = _componentGradients!.Gram(batch, perComponent, options.MaxGradNorm, options.TargetLayers);
        var influence = GradientWeighting.Influence(gram.Gram);
        _gradient.Accumulate(influence, CurrentLearningRate(step));
        var totals = _mix.Combine(batch.Samples.Select(s => s.Components).ToList(), batch.GroupSize, _gradient.Weights);
        for (int k = 0; k < _mix.Components.Count; k++)
        {
            _stepMetrics[$"weights/influence/{_mix.Components[k].Name}"] = influence[k];
            _stepMetrics[$"weights/grad_norm/{_mix.Components[k].Name}"] = gram.Norms[k];
        }
        _stepMetrics["weights/gradient_seconds"] = sw.Elapsed.TotalSeconds;
        return batch with { Samples = batch.Samples.Select((s, i) => s with { Reward = totals[i] ?? double.NaN }).ToList() };
    }

    /// <summary>After the update: the hypervolume weighting's validation point; then this step's weights/… keys.</summary>
    public void AfterUpdate(RolloutBatch batch, JsonObject line, CancellationToken ct)
    {
        int completedStep = line["step"]!.GetValue<int>();
        if (_hypervolume is { } hv && completedStep % _mix.Weighting.Hypervolume!.Every == 0)
        {
            var point = CheckPoint(_validator!.Measure(TrackedNames, ct));
            _stepMetrics["weights/hv_gain"] = hv.Observe(point);
            _stepMetrics["weights/r_pareto_next"] = hv.MetaReward;
            _stepMetrics["weights/pareto_buffer_size"] = hv.Buffer.Points.Count;
            _stepMetrics["weights/validation_seconds"] = _validator.LastSeconds;
            for (int k = 0; k < point.Length; k++) _stepMetrics[$"weights/val/{TrackedNames[k]}"] = point[k];
        }
        var weights = Weights;
        for (int k = 0; k < weights.Count; k++) line[$"weights/{_mix.Components[k].Name}"] = weights[k];
        foreach (var (key, value) in _stepMetrics) line[key] = value?.DeepClone();
    }

    public JsonNode? SaveState() => _hypervolume is { } hv
        ? new JsonObject
        {
            ["method"] = "hypervolume",
            ["components"] = new JsonArray(TrackedNames.Select(n => (JsonNode)n).ToArray()),
            ["buffer"] = new JsonArray(hv.Buffer.Points.Select(p => (JsonNode)Numbers(p)).ToArray()),
            ["r_pareto"] = hv.MetaReward,
            ["last_gain"] = hv.LastGain,
        }
        : _gradient is { } g
            ? new JsonObject
            {
                ["method"] = "gradient",
                ["components"] = new JsonArray(_mix.ComponentNames.Select(n => (JsonNode)n).ToArray()),
                ["weights"] = Numbers(g.Weights),
                ["accumulated"] = Numbers(g.AccumulatedInfluence),
                ["accumulated_steps"] = g.AccumulatedSteps,
            }
            : null;

    public void LoadState(JsonNode? state)
    {
        if (state is null) return;
        string method = state["method"]?.GetValue<string>() ?? "";
        // "objectives" is the key of checkpoints written before the word was kept for the loss.
        var names = (state["components"] ?? state["objectives"])!.AsArray().Select(n => n!.GetValue<string>()).ToArray();
        if (_hypervolume is { } hv && method == "hypervolume" && names.SequenceEqual(TrackedNames))
            hv.Restore(state["buffer"]!.AsArray().Select(p => ToDoubles(p!)).ToList(),
                state["r_pareto"]!.GetValue<double>(), state["last_gain"]!.GetValue<double>());
        else if (_gradient is { } g && method == "gradient" && names.SequenceEqual(_mix.ComponentNames))
            g.Restore(ToDoubles(state["weights"]!), ToDoubles(state["accumulated"]!), state["accumulated_steps"]!.GetValue<int>());
        else
            logger.LogWarning("The checkpoint's reward weighting ({Method}: {Components}) does not match the reward mix: it starts afresh",
                method, string.Join(", ", names));
    }

    /// Before the first step (unless a checkpoint restored one): the current model's validation means are the reference point.
    private void MeasureReference(CancellationToken ct)
    {
        var point = _validator!.Measure(TrackedNames, ct);
        _hypervolume!.Observe(CheckPoint(point));
        logger.LogInformation("Hypervolume reference point ({Components}) = ({Point}) in {Seconds:F1}s",
            string.Join(", ", TrackedNames), string.Join(", ", point.Select(p => p.ToString("G4"))), _validator.LastSeconds);
    }

    private IReadOnlyList<string> TrackedNames => _hypervolume!.TrackedComponents.Select(o => o.Name).ToArray();

    // η_t of docs/algorithms.md#gradient-weighting: the rate of this step's first optimizer step, as the optimizer will be given it.
    private double CurrentLearningRate(int step)
    {
        var (o, t) = (optimizer.Value, training.Value);
        return o.LearningRate * LrSchedule.Multiplier(o.Schedule, step * t.NumIterations, t.MaxSteps * t.NumIterations, o.WarmupSteps, o.MinLrRatio);
    }

    private double[] CheckPoint(double[] point)
    {
        for (int k = 0; k < point.Length; k++)
            if (!double.IsFinite(point[k]))
                throw new InvalidOperationException($"hypervolume component \"{TrackedNames[k]}\" applied to no validation problem: check its data_sources against the held-out set");
        return point;
    }

    private static JsonArray Numbers(IEnumerable<double> values) => new(values.Select(v => (JsonNode)v).ToArray());

    private static double[] ToDoubles(JsonNode node) => node.AsArray().Select(v => v!.GetValue<double>()).ToArray();
}
