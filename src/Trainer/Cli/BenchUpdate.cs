using System.CommandLine;
using RlTrainer.Rollout.Model;
using RlTrainer.Rollout.Tokenization;
using RlTrainer.Trainer.Hosting;
using RlTrainer.Trainer.Objectives;
using RlTrainer.Trainer.Optimization;
using RlTrainer.Trainer.Training;
using static TorchSharp.torch;

namespace RlTrainer.Trainer.Cli;

/// <summary>
/// What `bench train` and `bench memory` share: the update-memory options, the model loaded as training loads it
/// (logits limited to the tokenizer's ids when the folder has one), and the default objective's update step.
/// </summary>
internal sealed class BenchUpdate
{
    public Option<bool> Checkpointing { get; } = new("--gradient-checkpointing") { Description = "Recompute decoder activations in backward (Training:GradientCheckpointing)." };
    public Option<int> ChunkMB { get; } = new("--logits-chunk-mb") { Description = "Training:LogitsChunkMB; 0 = the whole (B, T, V) block at once.", DefaultValueFactory = _ => TokenLogProbs.DefaultChunkMB };

    public Option<int> LoraRank { get; } = new("--lora-rank") { Description = "Train LoRA adapters of this rank (alpha = 2·rank); 0 = full fine-tuning.", DefaultValueFactory = _ => 0 };
    public Option<string[]> LoraTargets { get; } = new("--lora-targets") { Description = "Projections the adapters sit on (Model:Lora:TargetModules): names or all-linear.", DefaultValueFactory = _ => [LoraConfig.AllLinear], AllowMultipleArgumentsPerToken = true };

    public void AddTo(Command command)
    {
        command.Options.Add(Checkpointing);
        command.Options.Add(ChunkMB);
        command.Options.Add(LoraRank);
        command.Options.Add(LoraTargets);
    }

    public CausalLm LoadModel(ParseResult r, string dir, string device)
    {
        var tokenizer = File.Exists(Path.Combine(dir, "tokenizer.json")) ? HfTokenizer.Load(dir) : null;
        var m = HfModelFolder.Load(dir, CommonOptions.ParseDevice(device), tokenizer);
        m.GradientCheckpointing = r.GetValue(Checkpointing);
        if (r.GetValue(LoraRank) is > 0 and var rank)
            m.AddLora(new LoraConfig { Rank = rank, Alpha = 2 * rank, TargetModules = r.GetValue(LoraTargets)!, BaseModelNameOrPath = dir }, seed: 0);
        return m;
    }

    /// <summary>ESS update with AdamW at a constant 1e-6, micro-batches of <paramref name="micro"/> rows.</summary>
    public PolicyUpdate Create(ParseResult r, CausalLm m, int micro, int completionLen, optim.Optimizer adam, OptimizerOptions opt)
    {
        var training = new TrainingOptions { OutputDir = "unused", MicroBatchSize = micro, LogitsChunkMB = r.GetValue(ChunkMB) };
        var loss = new PolicyLoss(m, null, new EssAdaptiveObjective(new EssOptions()), training,
            new RolloutOptions { GroupSize = 8, MaxNewTokens = completionLen });
        return new PolicyUpdate(loss, new AdvantageEstimator(new GroupAdvantageOptions()), adam, opt, training);
    }

    public static OptimizerOptions Optimizer => new() { LearningRate = 1e-6, Schedule = LrScheduleKind.Constant };
}
