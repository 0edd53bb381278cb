using RlTrainer.Rewards.Mixing;
using RlTrainer.Rollout.Model;
using RlTrainer.Rollout.Tokenization;
using RlTrainer.Trainer.Data;
using RlTrainer.Trainer.Engines;
using RlTrainer.Trainer.Objectives;
using static TorchSharp.torch;

namespace RlTrainer.Trainer.Training;

/// <summary>
/// The producer of asynchronous rollouts on the built-in sampler: its own copy of the policy (same folder and LoRA
/// layout as the learner's, then the learner's published weights), its own tokenizer, reward mix and rollout phase,
/// over its own prompt sampler that starts at the learner's cursor. Built on the producer thread and used there alone.
/// </summary>
public sealed class LocalBatchProducer : IBatchProducer
{
    private readonly CausalLm _model;
    private readonly LocalRolloutEngine _engine;
    private readonly RolloutPhase _phase;
    private readonly EpochSampler _prompts;
    private readonly WeightSnapshot _snapshot;
    private int _version;

    public LocalBatchProducer(ModelOptions model, LoraOptions lora, RolloutOptions rollout, DynamicSamplingOptions dynamic,
        string? rewardsFile, int runSeed, EpochSampler prompts, WeightSnapshot snapshot)
    {
        var encoder = new PromptEncoder(HfTokenizer.Load(model.Path));
        // Fresh weights of the same layout: the snapshot then overwrites every parameter, adapters included.
        _model = LoraAdapterSetup.LoadPolicy(model, lora, resumeFrom: null, ComputeDevice.Parse(model.Device), encoder.Tokenizer, runSeed);
        _model.eval();
        _snapshot = snapshot;
        _version = snapshot.CopyInto(_model, modelVersion: -1);
        _engine = new LocalRolloutEngine(_model, ids => encoder.Tokenizer.Decode(ids));
        _phase = new RolloutPhase(_model, encoder, RewardMixParser.LoadOrDefault(rewardsFile), rollout, dynamic, runSeed, _engine);
        _prompts = prompts;
    }

    public QueuedBatch Produce(int index, CancellationToken ct)
    {
        using var scope = NewDisposeScope();
        _version = _snapshot.CopyInto(_model, _version);   // between batches only: a batch has one version
        _engine.SyncWeights(_model, _version);
        var batch = _phase.Run(index, _prompts, ct);
        return new QueuedBatch(batch, _prompts.Cursor);
    }

    public void Dispose()
    {
        _phase.Dispose();
        _engine.Dispose();
        _model.Dispose();
    }
}
