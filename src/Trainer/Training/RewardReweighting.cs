using System.Diagnostics;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using RlTrainer.Rewards.Mixing;
using RlTrainer.Rewards.Weighting;
using RlTrainer.Rollout.Model;
using RlTrainer.Trainer.Data;
using RlTrainer.Trainer.Hosting;
using RlTrainer.Trainer.Checkpoints;
using RlTrainer.Trainer.Evaluation;
using RlTrainer.Trainer.Objectives;
using RlTrainer.Trainer.Optimization;
using RlTrainer.Trainer.Contracts;

namespace RlTrainer.Trainer.Training;

/// <summary>
/// Applies the reward mix's weighting in the loop (docs/algorithms.md#hypervolume-weighting, #gradient-weighting, #tmn-advantages). Static: nothing changes. Hypervolume:
/// each step's advantages (or rewards) are multiplied by r_pareto, and after the update a greedy validation point on
/// a held-out slice updates the Pareto buffer and r_pareto for the next step. Gradient: before the update, one
/// backward per objective gives the influences, the weights take a mirror-descent step, and the batch's totals are
/// recombined with the new weights. Its state (buffer and meta-reward, or weights and accumulated influence) is saved
/// in trainer_state.json under <see cref="Name"/>.
/// </summary>
public sealed class RewardReweighting : ITrainerStateComponent
{
    private readonly RewardMix _mix;
    private readonly ObjectiveValidator? _validator;
    private readonly OptimizerOptions _optimizer;
    private readonly TrainingOptions _training;
    private readonly ILogger _logger;
    private readonly HypervolumeWeighting? _hypervolume;
    private readonly GradientWeighting? _gradient;
    private readonly JsonObject _stepMetrics = new();

    /// <param name="validator">Required for hypervolume weighting: measures the validation point.</param>
    public RewardReweighting(RewardMix mix, GroupAdvantageOptions advantage, ObjectiveValidator? validator,
        OptimizerOptions optimizer, TrainingOptions training, ILogger logger)
    {
        _mix = mix;
        _validator = validator;
        _optimizer = optimizer;
        _training = training;
        _logger = logger;
        var w = mix.Weighting;
        Estimator = new AdvantageEstimator(advantage);
        if (w.Method == WeightingMethod.Hypervolume)
        {
            if (validator is null)
                throw new InvalidOperationException("Rewards: \"weighting\": \"hypervolume\" needs a held-out set for its validation points: set Data:HeldOutFiles or Data:HeldOutFraction.");
            _hypervolume = new HypervolumeWeighting(w.Hypervolume!);
        }
        if (w.Method == WeightingMethod.Gradient)
            _gradient = new GradientWeighting(mix.Components.Select(c => c.Weight).ToArray(), w.Gradient!);
    }

    /// <summary>
    /// The weighting of <paramref name="mix"/> for a run; the hypervolume validation slice is the last
    /// <see cref="HypervolumeWeightingOptions.ValidationProblems"/> held-out problems, so that an Eval:Limit below
    /// the rest keeps the final evaluation disjoint from it.
    /// </summary>
    public static RewardReweighting Create(RewardMix mix, CausalLm policy, PromptEncoder encoder, IReadOnlyList<RlExample> heldOut,
        RolloutOptions rollout, EvalOptions eval, GroupAdvantageOptions advantage, OptimizerOptions optimizer, TrainingOptions training,
        ILogger logger)
    {
        ObjectiveValidator? validator = null;
        if (mix.Weighting.Hypervolume is { } hv && heldOut.Count > 0)
        {
            var slice = heldOut.Skip(Math.Max(0, heldOut.Count - hv.ValidationProblems)).ToList();
            validator = new ObjectiveValidator(policy, encoder, mix, slice, rollout.MaxNewTokens, eval.BatchSize);
        }
        return new RewardReweighting(mix, advantage, validator, optimizer, training, logger);
    }

    public string Name => "reward_weighting";

    /// <summary>The advantage estimator the policy update must use (group or TMN normalisation).</summary>
    public AdvantageEstimator Estimator { get; }

    /// <summary>The weights the totals are combined with now.</summary>
    public IReadOnlyList<double> Weights => _gradient?.Weights ?? _mix.Components.Select(c => c.Weight).ToArray();

    /// <summary>
    /// Before the first step: the hypervolume weighting measures its reference point (the current model's
    /// validation means) unless a checkpoint restored one.
    /// </summary>
    public void Start(CancellationToken ct)
    {
        if (_hypervolume is null || _hypervolume.Buffer.HasReference) return;
        var point = _validator!.Measure(ObjectiveNames, ct);
        _hypervolume.Observe(CheckPoint(point));
        _logger.LogInformation("Hypervolume reference point ({Objectives}) = ({Point}) in {Seconds:F1}s",
            string.Join(", ", ObjectiveNames), string.Join(", ", point.Select(p => p.ToString("G4"))), _validator.LastSeconds);
    }

    /// <summary>The batch the update should train on: re-weighted totals (gradient) or an advantage scale (hypervolume).</summary>
    public RolloutBatch BeforeUpdate(RolloutBatch batch, PolicyUpdate update, int step, int totalSteps)
    {
        _stepMetrics.Clear();
        if (_hypervolume is { } hv)
        {
            _stepMetrics["weights/r_pareto"] = hv.MetaReward;
            if (_mix.Weighting.Hypervolume!.ApplyTo == MetaRewardTarget.Advantages) return batch with { AdvantageScale = hv.MetaReward };
            return batch with { Samples = batch.Samples.Select(s => s with { Reward = s.Reward * hv.MetaReward }).ToList() };
        }
        if (_gradient is null) return batch;

        var sw = Stopwatch.StartNew();
        var tasks = batch.Samples.Select(s => s.DataSource).ToArray();
        var perObjective = Enumerable.Range(0, _mix.Components.Count)
            .Select(k => Estimator.Compute(batch.Samples.Select(s => s.Components[k] ?? double.NaN).ToArray(), batch.GroupSize, tasks))
            .ToList();
        var options = _mix.Weighting.Gradient!;
        var gram = update.ObjectiveGradients(batch, perObjective, options.MaxGradNorm, options.TargetLayers);
        var influence = GradientWeighting.Influence(gram.Gram);
        _gradient.Accumulate(influence, CurrentLearningRate(step, totalSteps));
        var totals = _mix.Combine(batch.Samples.Select(s => s.Components).ToList(), batch.GroupSize, _gradient.Weights);
        for (int k = 0; k < _mix.Components.Count; k++)
        {
            _stepMetrics[$"weights/influence/{_mix.Components[k].Name}"] = influence[k];
            _stepMetrics[$"weights/grad_norm/{_mix.Components[k].Name}"] = gram.Norms[k];
        }
        _stepMetrics["weights/gradient_seconds"] = sw.Elapsed.TotalSeconds;
        return batch with { Samples = batch.Samples.Select((s, i) => s with { Reward = totals[i] ?? double.NaN }).ToList() };
    }

    /// <summary>After the update: the hypervolume weighting's validation point; then this step's metrics go into <paramref name="line"/>.</summary>
    public void AfterUpdate(int completedStep, JsonObject line, CancellationToken ct)
    {
        if (_hypervolume is { } hv && completedStep % _mix.Weighting.Hypervolume!.Every == 0)
        {
            var point = CheckPoint(_validator!.Measure(ObjectiveNames, ct));
            _stepMetrics["weights/hv_gain"] = hv.Observe(point);
            _stepMetrics["weights/r_pareto_next"] = hv.MetaReward;
            _stepMetrics["weights/pareto_buffer_size"] = hv.Buffer.Points.Count;
            _stepMetrics["weights/validation_seconds"] = _validator.LastSeconds;
            for (int k = 0; k < point.Length; k++) _stepMetrics[$"weights/val/{ObjectiveNames[k]}"] = point[k];
        }
        var weights = Weights;
        for (int k = 0; k < weights.Count; k++) line[$"weights/{_mix.Components[k].Name}"] = weights[k];
        foreach (var (key, value) in _stepMetrics) line[key] = value?.DeepClone();
        if (Estimator.LastTmn is { } tmn)
        {
            foreach (var (task, scale) in tmn.TaskScales) line[$"tmn/scale/{task}"] = scale;
            if (double.IsFinite(tmn.MeanPassRate)) line["tmn/mean_pass_rate"] = tmn.MeanPassRate;
            line["tmn/frac_weight_above_1"] = tmn.FractionWeightAboveOne;
        }
    }

    public JsonNode? SaveState() => _hypervolume is { } hv
        ? new JsonObject
        {
            ["method"] = "hypervolume",
            ["objectives"] = new JsonArray(ObjectiveNames.Select(n => (JsonNode)n).ToArray()),
            ["buffer"] = new JsonArray(hv.Buffer.Points.Select(p => (JsonNode)Numbers(p)).ToArray()),
            ["r_pareto"] = hv.MetaReward,
            ["last_gain"] = hv.LastGain,
        }
        : _gradient is { } g
            ? new JsonObject
            {
                ["method"] = "gradient",
                ["objectives"] = new JsonArray(_mix.ComponentNames.Select(n => (JsonNode)n).ToArray()),
                ["weights"] = Numbers(g.Weights),
                ["accumulated"] = Numbers(g.AccumulatedInfluence),
                ["accumulated_steps"] = g.AccumulatedSteps,
            }
            : null;

    public void LoadState(JsonNode? state)
    {
        if (state is null) return;
        string method = state["method"]?.GetValue<string>() ?? "";
        var names = state["objectives"]!.AsArray().Select(n => n!.GetValue<string>()).ToArray();
        if (_hypervolume is { } hv && method == "hypervolume" && names.SequenceEqual(ObjectiveNames))
            hv.Restore(state["buffer"]!.AsArray().Select(p => ToDoubles(p!)).ToList(),
                state["r_pareto"]!.GetValue<double>(), state["last_gain"]!.GetValue<double>());
        else if (_gradient is { } g && method == "gradient" && names.SequenceEqual(_mix.ComponentNames))
            g.Restore(ToDoubles(state["weights"]!), ToDoubles(state["accumulated"]!), state["accumulated_steps"]!.GetValue<int>());
        else
            _logger.LogWarning("The checkpoint's reward weighting ({Method}: {Objectives}) does not match the reward mix: it starts afresh",
                method, string.Join(", ", names));
    }

    private IReadOnlyList<string> ObjectiveNames => _hypervolume!.TrackedComponents.Select(o => o.Name).ToArray();

    // η_t of docs/algorithms.md#gradient-weighting: the rate of this step's first optimizer step, as the optimizer will be given it.
    private double CurrentLearningRate(int step, int totalSteps) => _optimizer.LearningRate * LrSchedule.Multiplier(
        _optimizer.Schedule, step * _training.NumIterations, totalSteps * _training.NumIterations, _optimizer.WarmupSteps, _optimizer.MinLrRatio);

    private double[] CheckPoint(double[] point)
    {
        for (int k = 0; k < point.Length; k++)
            if (!double.IsFinite(point[k]))
                throw new InvalidOperationException($"hypervolume objective \"{ObjectiveNames[k]}\" applied to no validation problem: check its data_sources against the held-out set");
        return point;
    }

    private static JsonArray Numbers(IEnumerable<double> values) => new(values.Select(v => (JsonNode)v).ToArray());

    private static double[] ToDoubles(JsonNode node) => node.AsArray().Select(v => v!.GetValue<double>()).ToArray();
}
