using System.Diagnostics;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RlTrainer.Rewards.Mixing;
using RlTrainer.Rollout.Model;
using RlTrainer.Rollout.Pruning;
using RlTrainer.Rollout.Tokenization;
using RlTrainer.Trainer.Checkpoints;
using RlTrainer.Trainer.Data;
using RlTrainer.Trainer.Engines;
using RlTrainer.Trainer.Evaluation;
using RlTrainer.Trainer.Objectives;
using RlTrainer.Trainer.Optimization;
using RlTrainer.Trainer.Telemetry;
using RlTrainer.Trainer.Tools;
using static TorchSharp.torch;

namespace RlTrainer.Trainer.Training;

/// <summary>
/// The RL loop, top-down: sample → (extensions: correct, re-weight, replay) → advantage → loss → step → log → evaluate
/// → checkpoint. Features join the step only through <see cref="IStepExtension"/> (docs/architecture.md): the loop
/// calls each phase on every registered extension, in registration order. Synchronous on one thread (TorchSharp's
/// dispose scopes are per thread); cancellation is honoured between steps, during rollouts and during evaluations, and
/// always ends with a checkpoint. Each metrics line also goes to the line observers (telemetry, health); the heartbeat
/// hears the phases and evaluation batches.
/// </summary>
public sealed class TrainingLoop(
    IOptions<ModelOptions> model, IOptions<DataOptions> data, IOptions<RolloutOptions> rollout,
    IOptions<TrainingOptions> training, IOptions<OptimizerOptions> optimizer, IOptions<CheckpointOptions> checkpoint,
    IOptions<EvalOptions> eval, IOptions<RewardsOptions> rewards, IOptions<ObjectiveOptions> objective,
    IOptions<GrpoOptions> grpo, IOptions<EssOptions> ess, IOptions<DynamicSamplingOptions> dynamic,
    IOptions<RolloutEngineOptions> engineOptions, IOptions<LoraOptions> lora, AdvantageEstimator advantages, IEnumerable<IStepExtension> stepExtensions,
    ILogger<TrainingLoop> logger, IOptions<PruningOptions>? pruning = null, IEnumerable<IMetricsLineObserver>? lineObservers = null,
    TrainingHeartbeat? heartbeat = null, IOptions<ToolsOptions>? tools = null)
{
    private readonly IReadOnlyList<IStepExtension> _extensions = stepExtensions.ToList();

    /// <returns>The last completed step.</returns>
    public int Run(CancellationToken ct)
    {
        var t = training.Value;
        Directory.CreateDirectory(t.OutputDir);
        var checkpoints = new CheckpointManager(t.OutputDir, checkpoint.Value.KeepLast, checkpoint.Value.MaxShardSizeMB * 1_000_000L);
        var resumeFrom = ResumePoint(checkpoints, t);
        var state = resumeFrom is null ? new TrainerState() : CheckpointManager.LoadState(resumeFrom);
        logger.LogInformation("Starting at step {Step} from {Weights}", state.Step, resumeFrom ?? model.Value.Path);

        var device = ComputeDevice.Parse(model.Value.Device);
        var encoder = new PromptEncoder(HfTokenizer.Load(model.Value.Path));
        using var toolSession = ToolSession.Start(tools?.Value ?? new ToolsOptions(), logger, ct);  // MCP servers listed before the model loads
        using var policy = LoraAdapterSetup.LoadPolicy(model.Value, lora.Value, resumeFrom, device, encoder.Tokenizer, t.Seed);
        policy.GradientCheckpointing = t.GradientCheckpointing;
        policy.eval();
        var dataset = RlDataset.Load(data.Value);
        var prompts = dataset.CreateSampler();
        prompts.Restore(state.Cursor);
        var mix = RewardMixParser.LoadOrDefault(rewards.Value.File);
        var obj = PolicyObjectiveFactory.Create(objective.Value, ess.Value, grpo.Value);
        // With LoRA the reference is the policy with its adapters off (PolicyLoss), unless another model is named.
        bool separateReference = obj.NeedsReferenceLogProbs && (policy.Lora is null || model.Value.ReferencePath is not null);
        using var reference = separateReference ? HfModelFolder.Load(model.Value.ReferencePath ?? model.Value.Path, device, encoder.Tokenizer) : null;
        using var adam = AdamWFactory.Create(policy.TrainableParameters(), optimizer.Value);   // the adapters alone with LoRA
        if (resumeFrom is not null) CheckpointManager.LoadOptimizer(resumeFrom, adam);
        using var engine = RolloutEngineFactory.Create(engineOptions.Value, policy, encoder, model.Value.Path, t.OutputDir, state.Step, logger);
        using var rolloutPhase = new RolloutPhase(policy, encoder, mix, rollout.Value, dynamic.Value, t.Seed, engine, pruning?.Value, toolSession);
        using var rollouts = CreateRollouts(t, policy, engine, rolloutPhase, dataset, prompts, state);
        var loss = new PolicyLoss(policy, reference, obj, t, rollout.Value);
        var update = new PolicyUpdate(loss, advantages, adam, optimizer.Value, t, _extensions);
        var run = new TrainingRun(policy, encoder, dataset, mix, engine, rolloutPhase, loss, state.Step);
        foreach (var e in _extensions) e.Attach(run);
        foreach (var e in _extensions) e.LoadState(state.Components.GetValueOrDefault(e.Name));
        var evaluator = new Evaluator(policy, encoder, new MathAnswerJudge(), eval.Value, toolSession);   // the rollouts' tools
        var evalSets = EvalSet.LoadAll(eval.Value, dataset.HeldOut.Select(e => e.DataSource).Distinct());
        using var metrics = new MetricsWriter(t.OutputDir, resumeFrom is null ? -1 : state.Step, lineObservers);

        var clock = Stopwatch.StartNew();
        double elapsedBefore = state.ElapsedSeconds;
        int step = state.Step, lastSaved = resumeFrom is null ? -1 : state.Step;
        int Save() => this.Save(checkpoints, policy, adam, rollouts, step, clock, elapsedBefore);
        heartbeat?.Enter(TrainingPhase.Training);
        try
        {
            if (resumeFrom is null && eval.Value.Enabled) Evaluate(evaluator, dataset, evalSets, metrics, 0, clock, elapsedBefore, ct);
            while (step < t.MaxSteps && !ct.IsCancellationRequested && !OutOfTime(t, clock))
            {
                using var scope = NewDisposeScope();                 // every tensor of this step dies here
                var stepClock = Stopwatch.StartNew();
                var batch = rollouts.Next(step, ct);                 // sample → score (or take the producer's)
                foreach (var e in _extensions) batch = e.AfterRollout(batch, step, ct);
                NonFiniteValueException.ThrowIfRewardsNotFinite(batch, step + 1);
                var stats = update.Run(batch, step, t.MaxSteps);     // advantage → loss → step
                step++;
                rollouts.Trained(policy, step);
                var line = StepMetrics.Build(step, batch, stats, stepClock.Elapsed.TotalSeconds, clock.Elapsed.TotalSeconds + elapsedBefore);
                foreach (var e in _extensions) e.AfterUpdate(batch, line, ct);
                metrics.Write(line);
                logger.LogInformation("{Line}", StepMetrics.ConsoleLine(line));
                bool last = step == t.MaxSteps || OutOfTime(t, clock);
                if (eval.Value.Enabled && (last || (eval.Value.Every > 0 && step % eval.Value.Every == 0)))
                    Evaluate(evaluator, dataset, evalSets, metrics, step, clock, elapsedBefore, ct);
                if (checkpoint.Value.Every > 0 && step % checkpoint.Value.Every == 0) lastSaved = Save();
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            logger.LogWarning("Stop requested: the step or evaluation in flight was dropped; checkpointing step {Step}", step);
        }
        catch (RolloutEngineException)
        {
            if (lastSaved != step) Save(); // keep the finished steps
            throw;
        }
        catch (NonFiniteValueException e)
        {
            // Unless an optimizer step of the failed step ran, the weights in memory are the last good step's.
            if (e.WeightsIntact && lastSaved != step && step > 0) lastSaved = Save();
            throw new Errors.RunFailedException($"{e.Message}; training stopped; {WhatWasKept(checkpoints, e, step, lastSaved)}.", e);
        }
        rollouts.Stop(); // asynchronous rollouts: the producer ends and its queued batches are dropped before the checkpoint
        if (lastSaved != step) Save();
        return step;
    }

    /// The checkpoint to resume from (Checkpoint:Resume), or null for a fresh run, after which no other run's
    /// checkpoints may be left in the output folder.
    private string? ResumePoint(CheckpointManager checkpoints, TrainingOptions t)
    {
        var resumeFrom = checkpoints.Resolve(checkpoint.Value.Resume);
        if (resumeFrom is null && checkpoints.List().Count > 0)
        {
            if (!t.Overwrite)
                throw new InvalidOperationException($"Training:OutputDir '{t.OutputDir}' already holds checkpoints of another run: resume it (--resume latest), choose another OutputDir, or set --Training:Overwrite=true to delete them.");
            Directory.Delete(checkpoints.Root, recursive: true);
        }
        return resumeFrom;
    }

    /// The end of a non-finite failure's message: which checkpoint holds the last good step, if any.
    private static string WhatWasKept(CheckpointManager checkpoints, NonFiniteValueException e, int step, int lastSaved)
    {
        var last = checkpoints.List().LastOrDefault();
        return last is null ? "no step had finished, so there is no checkpoint"
            : e.WeightsIntact || lastSaved == step ? $"checkpoint {last} holds the last good step ({lastSaved})"
            : $"the step had already changed the weights; the last checkpoint is {last} (step {lastSaved})";
    }

    private static bool OutOfTime(TrainingOptions t, Stopwatch clock) => t.MaxMinutes > 0 && clock.Elapsed.TotalMinutes >= t.MaxMinutes;

    /// The batches' source: sampled in the step (MaxStaleness 0, today's loop), or a producer thread with its own copy
    /// of the policy (k &gt; 0), which samples with it or syncs the remote engines from it (AsyncRolloutValidator
    /// refuses, at start, what k &gt; 0 does not support).
    private IRolloutSource CreateRollouts(TrainingOptions t, CausalLm policy, IRolloutEngine engine, RolloutPhase phase,
        RlDataset dataset, EpochSampler prompts, TrainerState state)
    {
        if (t.MaxStaleness == 0) return new SynchronousRollouts(engine, policy, phase, prompts);
        var producerPrompts = dataset.CreateSampler();   // the same order, from the checkpoint's cursor
        producerPrompts.Restore(state.Cursor);
        logger.LogInformation("Asynchronous rollouts: at most {K} policy versions behind the learner", t.MaxStaleness);
        return new AsyncRollouts(policy, state.Step, state.Cursor, t.MaxStaleness, snapshot => new PolicyCopyProducer(
            model.Value, lora.Value, rollout.Value, dynamic.Value, rewards.Value.File, t, engineOptions.Value,
            engine.IsRemote ? engine : null, producerPrompts, snapshot));
    }

    private int Save(CheckpointManager checkpoints, CausalLm policy, optim.Optimizer adam, IRolloutSource rollouts, int step,
        Stopwatch clock, double elapsedBefore)
    {
        var state = new TrainerState
        {
            Step = step,
            Cursor = rollouts.TrainedCursor,
            ElapsedSeconds = elapsedBefore + clock.Elapsed.TotalSeconds,
            Components = _extensions.Select(e => (e.Name, State: e.SaveState())).Where(x => x.State is not null)
                .ToDictionary(x => x.Name, x => x.State),
        };
        var path = checkpoints.Save(policy, model.Value.Path, adam, state);
        logger.LogInformation("Checkpoint {Path}", path);
        return step;
    }

    private void Evaluate(Evaluator evaluator, RlDataset dataset, IReadOnlyList<EvalSet> evalSets, MetricsWriter metrics,
        int step, Stopwatch clock, double elapsedBefore, CancellationToken ct)
    {
        if (dataset.HeldOut.Count == 0)
        {
            logger.LogWarning("No held-out set (Data:HeldOutFraction or Data:HeldOutFiles): evaluation skipped");
            return;
        }
        heartbeat?.Enter(TrainingPhase.Evaluating);
        Action<int, int> progress = (_, _) => heartbeat?.Beat(); // a long evaluation is not a stuck run
        var report = evaluator.Run(model.Value.Path, "held-out", dataset.HeldOut, progress, ct);
        var line = new JsonObject
        {
            ["step"] = step,
            ["type"] = "eval",
            ["time_s"] = elapsedBefore + clock.Elapsed.TotalSeconds,
            ["eval/problems"] = report.Overall.Problems,
            ["eval/accuracy"] = report.Overall.GreedyPass1,
            [$"eval/{EvalSet.MainName}/accuracy"] = report.Overall.GreedyPass1,
            ["eval/format_rate"] = report.Overall.FormatRate,
            ["eval/completion_tokens_mean"] = report.Overall.MeanCompletionTokens,
            ["eval/seconds"] = report.Seconds,
        };
        foreach (var (source, s) in report.BySource)
        {
            line[$"eval/{source}/accuracy"] = s.GreedyPass1;
            EvalSet.AddToolFigures(line, $"eval/{source}", s);
        }
        EvalSet.AddToolFigures(line, "eval", report.Overall);
        foreach (var set in evalSets)
        {
            var r = evaluator.Run(model.Value.Path, set.Name, set.Examples, progress, ct);
            EvalSet.AddTo(line, set.Name, r);
            logger.LogInformation("eval step {Step}: {Set} greedy accuracy {Accuracy:P1} on {Problems} problems", step, set.Name, r.Overall.GreedyPass1, r.Overall.Problems);
        }
        metrics.Write(line);
        heartbeat?.Enter(TrainingPhase.Training);
        Reporting.RunReport.Refresh(training.Value.OutputDir, logger); // report.html follows the run; never throws
        logger.LogInformation("eval step {Step}: held-out greedy accuracy {Accuracy:P1} on {Problems} problems ({Seconds:F0}s)",
            step, report.Overall.GreedyPass1, report.Overall.Problems, report.Seconds);
    }
}
