using RlTrainer.Rewards.Mixing;
using RlTrainer.Rollout.Model;
using RlTrainer.Rollout.Tokenization;
using RlTrainer.Trainer.Data;
using RlTrainer.Trainer.Engines;
using RlTrainer.Trainer.Objectives;
using static TorchSharp.torch;

namespace RlTrainer.Trainer.Training;

/// <summary>
/// The producer of asynchronous rollouts: its own copy of the policy (same folder and LoRA layout as the learner's,
/// then the learner's published weights), its own tokenizer, reward mix and rollout phase, over its own prompt sampler
/// that starts at the learner's cursor. Built on the producer thread and used there alone.
/// <para>With the built-in sampler the copy samples. With remote engines the copy is what the engines are synced from
/// (written to the sync folder and reloaded between batches, so no request is in flight during a reload and a batch
/// has one version), and what recomputes the behaviour log-probs at the version that sampled the batch
/// (<see cref="RemoteLogProbCorrection.Correct"/>).</para>
/// </summary>
public sealed class PolicyCopyProducer : IBatchProducer
{
    private readonly CausalLm _model;
    private readonly IRolloutEngine _engine;
    private readonly bool _ownsEngine;
    private readonly RolloutPhase _phase;
    private readonly EpochSampler _prompts;
    private readonly WeightSnapshot _snapshot;
    private readonly RolloutEngineOptions _engineOptions;
    private readonly int _microBatchSize;
    private readonly double _temperature;
    private int _version;

    /// <param name="remote">The run's remote engine (probed and started by the learner; not disposed here), or null
    /// for the built-in sampler on the copy.</param>
    public PolicyCopyProducer(ModelOptions model, LoraOptions lora, RolloutOptions rollout, DynamicSamplingOptions dynamic,
        string? rewardsFile, TrainingOptions training, RolloutEngineOptions engineOptions, IRolloutEngine? remote,
        EpochSampler prompts, WeightSnapshot snapshot)
    {
        var encoder = new PromptEncoder(HfTokenizer.Load(model.Path));
        // Fresh weights of the same layout: the snapshot then overwrites every parameter, adapters included.
        _model = LoraAdapterSetup.LoadPolicy(model, lora, resumeFrom: null, ComputeDevice.Parse(model.Device), encoder.Tokenizer, training.Seed);
        _model.eval();
        _snapshot = snapshot;
        _version = snapshot.CopyInto(_model, modelVersion: -1);
        _ownsEngine = remote is null;
        _engine = remote ?? new LocalRolloutEngine(_model, ids => encoder.Tokenizer.Decode(ids));
        _engineOptions = engineOptions;
        _microBatchSize = training.MicroBatchSize;
        _temperature = rollout.Temperature;
        _phase = new RolloutPhase(_model, encoder, RewardMixParser.LoadOrDefault(rewardsFile), rollout, dynamic, training.Seed, _engine);
        _prompts = prompts;
    }

    public QueuedBatch Produce(int index, CancellationToken ct)
    {
        using var scope = NewDisposeScope();
        _version = _snapshot.CopyInto(_model, _version);   // between batches only: a batch has one version
        _engine.SyncWeights(_model, _version);
        var batch = _phase.Run(index, _prompts, ct);
        if (_engine.IsRemote) batch = RemoteLogProbCorrection.Correct(_model, batch, _version, _engineOptions, _microBatchSize, _temperature);
        return new QueuedBatch(batch, _prompts.Cursor);
    }

    public void Dispose()
    {
        _phase.Dispose();
        if (_ownsEngine) _engine.Dispose();
        _model.Dispose();
    }
}
