using System.ComponentModel.DataAnnotations;

namespace RlTrainer.Trainer.Training;

/// <summary>The outer loop: how long, how the update is split, where the run lives.</summary>
public sealed class TrainingOptions
{
    public const string Section = "Training";

    /// <summary>Folder of the run: metrics.jsonl, effective-config.json, checkpoints/. Required.</summary>
    [Required(AllowEmptyStrings = false)] public string OutputDir { get; set; } = "";
    /// <summary>Training steps (one rollout batch each). Default 100.</summary>
    [Range(1, int.MaxValue)] public int MaxSteps { get; set; } = 100;
    /// <summary>Stop after this many minutes of wall time even before MaxSteps; 0 = no limit. Default 0.</summary>
    [Range(0.0, 1e7)] public double MaxMinutes { get; set; }
    /// <summary>Sequences per forward/backward; gradients of a step's micro-batches accumulate. Default 16.</summary>
    [Range(1, 100000)] public int MicroBatchSize { get; set; } = 16;
    /// <summary>Update passes over each rollout batch (μ, TRL num_iterations); one optimizer step per pass. Default 1.</summary>
    [Range(1, 100)] public int NumIterations { get; set; } = 1;
    /// <summary>Exclude completions cut at MaxNewTokens from the loss (TRL mask_truncated_completions). Default false.</summary>
    public bool MaskTruncatedCompletions { get; set; }
    /// <summary>A fresh run (no Checkpoint:Resume) into an OutputDir that already holds checkpoints deletes them when true,
    /// and refuses to start when false, so two runs never mix their checkpoints. Default false.</summary>
    public bool Overwrite { get; set; }
    /// <summary>Decoder layers recompute their activations in backward instead of keeping them (torch.utils.checkpoint,
    /// HF gradient_checkpointing): activation memory of the update drops to one (B, T, C) tensor per layer, for about
    /// one extra forward per step. Gradients are unchanged. Default false.</summary>
    public bool GradientCheckpointing { get; set; }
    /// <summary>MiB of float32 logits per chunk when the update computes log-probs and entropies: positions are taken
    /// in chunks of LogitsChunkMB·2²⁰ / (4·V) and each chunk's logits are recomputed in backward, so no (B, T, V) tensor
    /// is ever alive. 0 = the whole (B, T, V) block at once through plain autograd. Default 256.</summary>
    [Range(0, 1 << 20)] public int LogitsChunkMB { get; set; } = RlTrainer.Rollout.Model.TokenLogProbs.DefaultChunkMB;
    /// <summary>k: 0 = the synchronous loop (sample, then update, on one thread). k &gt; 0 = asynchronous rollouts: a
    /// producer thread with its own copy of the policy samples and scores the batches of the next steps, at most k
    /// policy versions ahead of the learner, into a queue of k batches; samples older than k versions when their step
    /// trains are dropped and counted (staleness/…). Built-in sampler only (AsyncRolloutValidator). Default 0.</summary>
    [Range(0, 64)] public int MaxStaleness { get; set; }
    /// <summary>Seed of prompt order and of every sampled token. Default 0.</summary>
    public int Seed { get; set; }
}
