using System.Diagnostics;
using System.Text.Json.Nodes;
using RlTrainer.Rollout.Model;
using RlTrainer.Trainer.Data;
using RlTrainer.Trainer.Sft;
using RlTrainer.Trainer.Training;
using RlTrainer.Trainer.Contracts;

namespace RlTrainer.Trainer.Replay;

/// <summary>
/// Mixes replayed items into every training step and weights the step's tasks. The tasks are the main task
/// (policy gradient on its rollouts, tracked by its mean reward) and one per replay source: RL sources are sampled and
/// scored like the main task and join the policy-gradient loss (tracked by their mean reward), SFT sources add a
/// token-level NLL on their targets (tracked by that NLL). The step loss is (1/K) Σ_k λ_k L_k with λ static or from
/// <see cref="RecapWeighting"/>. Its checkpointed state: each source's sampler cursor and the RECAP windows.
/// </summary>
public sealed class ReplayMixer
{
    private readonly ReplayOptions _options;
    private readonly PromptEncoder _encoder;
    private readonly CausalLm _policy;
    private readonly TrainingOptions _training;
    private readonly int _itemsPerSource;

    private ReplayMixer(ReplayOptions options, IReadOnlyList<ReplaySource> sources, PromptEncoder encoder, CausalLm policy,
        TrainingOptions training, int mainPromptsPerStep)
    {
        _options = options;
        Sources = sources;
        _encoder = encoder;
        _policy = policy;
        _training = training;
        _itemsPerSource = options.ItemsPerSource(mainPromptsPerStep);
        TaskNames = new[] { ReplayOptionsValidator.MainTask }.Concat(sources.Select(s => s.Name)).ToArray();
        if (options.Weighting == ReplayWeighting.Recap)
        {
            var kinds = new[] { TrackedValueKind.Reward }
                .Concat(sources.Select(s => s.Kind == ReplayKind.Sft ? TrackedValueKind.Loss : TrackedValueKind.Reward)).ToArray();
            var r = options.Recap;
            Recap = new RecapWeighting(TaskNames, kinds, r.Window, r.Temperature, r.Alpha, r.Epsilon);
        }
    }

    /// <summary>The loaded sources, in config order.</summary>
    public IReadOnlyList<ReplaySource> Sources { get; }

    /// <summary>"main", then each source's name: the order of every per-task array.</summary>
    public IReadOnlyList<string> TaskNames { get; }

    /// <summary>The RECAP state; null with static weights.</summary>
    public RecapWeighting? Recap { get; }

    /// <summary>Loads the sources; null when none are configured (plain training, nothing changes).</summary>
    public static ReplayMixer? Create(ReplayOptions options, int mainPromptsPerStep, PromptEncoder encoder, CausalLm policy,
        TrainingOptions training)
    {
        if (options.Sources.Count == 0) return null;
        var failures = ReplayOptionsValidator.Failures(options).ToList();
        if (failures.Count > 0) throw new ArgumentException(string.Join(Environment.NewLine, failures), nameof(options));
        var sources = options.Sources.Select(ReplaySource.Load).ToList();
        return new ReplayMixer(options, sources, encoder, policy, training, mainPromptsPerStep);
    }

    /// <summary>Items each source contributes per step.</summary>
    public int ItemsPerSource => _itemsPerSource;

    /// <summary>
    /// Draws this step's replay items: RL prompts are sampled and scored by <paramref name="rollout"/> and appended to
    /// the batch as further groups; SFT items are encoded for the update.
    /// </summary>
    public ReplayStep Extend(int step, RolloutBatch main, RolloutPhase rollout, CancellationToken ct)
    {
        var sw = Stopwatch.StartNew();
        var samples = main.Samples.ToList();
        var taskOf = new List<int>(Enumerable.Repeat(0, samples.Count));
        var sft = new List<SftExample>?[Sources.Count];
        int groups = samples.Count / main.GroupSize;
        long sampled = main.SampledTokens;
        for (int j = 0; j < Sources.Count; j++)
        {
            var examples = Sources[j].Sampler.Next(_itemsPerSource);
            if (Sources[j].Kind == ReplayKind.Sft)
            {
                sft[j] = examples.Select(e => ReplaySource.ToSft(e, _encoder)).ToList();
                continue;
            }
            // Negative seed keys never meet the main draws' keys (step·1000 + draw ≥ 0).
            var (generated, tokens) = rollout.GenerateGroups(-(step * 1000L + j + 1), examples, ct);
            samples.AddRange(generated.Select(s => s with { Group = groups + s.Group }));
            taskOf.AddRange(Enumerable.Repeat(j + 1, generated.Count));
            groups += examples.Count;
            sampled += tokens;
        }
        var batch = main with { Samples = samples, SampledTokens = sampled, Seconds = main.Seconds + sw.Elapsed.TotalSeconds };
        return new ReplayStep(this, batch, taskOf.ToArray(), sft, TrackedRewards(batch, taskOf));
    }

    /// Mean reward of each RL task's samples (NaN for SFT sources, filled in by the update).
    private double[] TrackedRewards(RolloutBatch batch, List<int> taskOf)
    {
        var values = new double[TaskNames.Count];
        for (int k = 0; k < values.Length; k++)
        {
            if (k > 0 && Sources[k - 1].Kind == ReplayKind.Sft) { values[k] = double.NaN; continue; }
            var rewards = batch.Samples.Where((s, i) => taskOf[i] == k && double.IsFinite(s.Reward)).Select(s => s.Reward).ToList();
            if (rewards.Count == 0)
                throw new InvalidOperationException($"task '{TaskNames[k]}': the reward mix scored none of its completions this step (does a component apply to its data source?).");
            values[k] = rewards.Average();
        }
        return values;
    }

    /// <summary>The step's λ from its tracked values: RECAP's update, or the static weights.</summary>
    internal double[] Weigh(double[] trackedValues)
    {
        if (Recap is not null) return Recap.Update(trackedValues).ToArray();
        return new[] { _options.MainWeight }.Concat(Sources.Select(s => s.StaticWeight)).ToArray();
    }

    internal CausalLm Policy => _policy;
    internal TrainingOptions Training => _training;

    public JsonNode? SaveState()
    {
        var cursors = new JsonObject();
        foreach (var s in Sources)
            cursors[s.Name] = new JsonObject { ["epoch"] = s.Sampler.Cursor.Epoch, ["position"] = s.Sampler.Cursor.Position };
        return new JsonObject { ["cursors"] = cursors, ["recap"] = Recap?.SaveState() };
    }

    public void LoadState(JsonNode? state)
    {
        if (state is null) return;
        var cursors = state["cursors"]?.AsObject() ?? throw new InvalidDataException("checkpointed replay state has no 'cursors'.");
        foreach (var s in Sources)
        {
            var c = cursors[s.Name] ?? throw new InvalidDataException($"checkpointed replay state has no cursor for source '{s.Name}' (saved sources: {string.Join(", ", cursors.Select(kv => kv.Key))}).");
            s.Sampler.Restore(new SamplerCursor(c["epoch"]!.GetValue<int>(), c["position"]!.GetValue<int>()));
        }
        Recap?.LoadState(state["recap"]);
    }
}
