using RlTrainer.Rollout.Model;
using RlTrainer.Rollout.Tokenization;

namespace RlTrainer.Trainer.Training;

/// <summary>
/// The policy of a run with or without LoRA: full weights from the checkpoint (or Model:Path), or the base weights of
/// Model:Path with adapters, fresh (PEFT's initialisation: the first step starts from the base model) or the
/// checkpoint's (PeftAdapterFolder's files beside trainer_state.json).
/// </summary>
public static class LoraAdapterSetup
{
    /// <summary>PEFT's LoraConfig for these options; <paramref name="baseModel"/> becomes base_model_name_or_path.</summary>
    public static LoraConfig Config(LoraOptions o, string baseModel) => new()
    {
        Rank = o.Rank,
        Alpha = o.Alpha,
        Dropout = o.Dropout,
        TargetModules = o.TargetModules.Count == 0 ? new LoraConfig().TargetModules : o.TargetModules.ToArray(),
        BaseModelNameOrPath = baseModel,
    };

    /// <summary>Whether a folder holds a PEFT adapter rather than full weights.</summary>
    public static bool HoldsAdapter(string dir) => File.Exists(Path.Combine(dir, PeftAdapterFolder.ConfigFile));

    /// <param name="resumeFrom">The checkpoint to continue, or null for a fresh run.</param>
    /// <param name="seed">Seeds the adapters' A matrices of a fresh run.</param>
    public static CausalLm LoadPolicy(ModelOptions model, LoraOptions lora, string? resumeFrom, ComputeDevice device, HfTokenizer tokenizer, int seed)
    {
        bool adapterCheckpoint = resumeFrom is not null && HoldsAdapter(resumeFrom);
        if (!lora.Enabled)
        {
            if (adapterCheckpoint)
                throw new InvalidOperationException($"checkpoint {resumeFrom} holds a LoRA adapter: resume it with Model:Lora:Enabled=true.");
            return HfModelFolder.Load(resumeFrom ?? model.Path, device, tokenizer);
        }
        if (resumeFrom is not null && !adapterCheckpoint)
            throw new InvalidOperationException($"checkpoint {resumeFrom} holds full weights, not a LoRA adapter: resume it with Model:Lora:Enabled=false.");
        var policy = HfModelFolder.Load(model.Path, device, tokenizer);
        try
        {
            var wanted = Config(lora, model.Path);
            if (resumeFrom is null) policy.AddLora(wanted, seed);
            else
            {
                var saved = PeftAdapterFolder.ReadConfig(resumeFrom);
                if (saved.Rank != wanted.Rank || saved.Alpha != wanted.Alpha || !saved.ResolvedTargets().SequenceEqual(wanted.ResolvedTargets()))
                    throw new InvalidOperationException(
                        $"checkpoint {resumeFrom} holds an adapter of r={saved.Rank}, alpha={saved.Alpha} on {string.Join(",", saved.ResolvedTargets())}, " +
                        $"but Model:Lora asks for r={wanted.Rank}, alpha={wanted.Alpha} on {string.Join(",", wanted.ResolvedTargets())}.");
                PeftAdapterFolder.Load(policy, resumeFrom);
            }
            return policy;
        }
        catch
        {
            policy.Dispose();
            throw;
        }
    }
}
