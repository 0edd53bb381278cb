using System.Globalization;
using System.Text.Json;
using RlTrainer.Rollout.Model;
using RlTrainer.Trainer.Errors;
using RlTrainer.Trainer.Reporting;
using TorchSharp;
using static TorchSharp.torch;
using RlTrainer.Trainer.Contracts;

namespace RlTrainer.Trainer.Checkpoints;

/// <summary>
/// Checkpoints of a run: &lt;run&gt;/checkpoints/step-NNNNNN/ holds a Hugging Face folder (config.json,
/// model.safetensors, generation_config.json, tokenizer files), or for a LoRA policy a PEFT adapter folder
/// (adapter_config.json, adapter_model.safetensors, tokenizer files), plus optimizer.bin (AdamW moments of what
/// trains) and trainer_state.json. Each is written atomically (temp folder, fsync, rename); the last K are kept.
/// </summary>
/// <param name="maxShardBytes">Weights above this size are written as shards with an index (Hugging Face layout).</param>
public sealed class CheckpointManager(string runDir, int keepLast, long maxShardBytes = HfModelFolder.DefaultMaxShardBytes)
{
    public const string StateFile = "trainer_state.json";
    public const string OptimizerFile = "optimizer.bin";

    public string Root { get; } = Path.Combine(runDir, "checkpoints");

    /// <summary>Opens optimizer.bin for writing; tests put a stream here that fails as a full disk does.</summary>
    internal Func<string, Stream> CreateOptimizerFile { get; init; } = File.Create;

    /// <exception cref="RunFailedException">Writing failed (a full disk): the temporary folder is gone, the earlier
    /// checkpoints are as they were.</exception>
    public string Save(CausalLm model, string tokenizerDir, optim.Optimizer optimizer, TrainerState state)
    {
        var target = Path.Combine(Root, $"step-{state.Step.ToString("D6", CultureInfo.InvariantCulture)}");
        AtomicDirectory.CleanLeftovers(Root);
        var previous = List().LastOrDefault();
        try
        {
            AtomicDirectory.Write(target, dir =>
            {
                if (model.Lora is null) HfModelFolder.Save(model, dir, tokenizerDir, maxShardBytes: maxShardBytes);
                else SaveAdapter(model, dir, tokenizerDir);
                using (var fs = CreateOptimizerFile(Path.Combine(dir, OptimizerFile)))
                using (var w = new BinaryWriter(fs))
                    ((TorchSharp.Modules.OptimizerHelper)optimizer).save_state_dict(w);
                File.WriteAllText(Path.Combine(dir, StateFile), OutputJson.Serialize(state, indented: true));
            });
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            var kept = previous is null ? "there is no earlier checkpoint" : $"the previous checkpoint {previous} is intact";
            throw new RunFailedException($"checkpoint {target} not written: {e.Message}; its temporary folder was removed and {kept}.", e);
        }
        foreach (var old in List().SkipLast(keepLast)) Directory.Delete(old, recursive: true);
        return target;
    }

    /// The adapter in PEFT's layout, and the base model's tokenizer files beside it so that the folder evaluates alone
    /// with --adapter.
    private static void SaveAdapter(CausalLm model, string dir, string tokenizerDir)
    {
        PeftAdapterFolder.Save(model, dir);
        HfModelFolder.CopyTokenizerFiles(tokenizerDir, dir);
    }

    /// <summary>Complete checkpoints, oldest first (a folder counts only once its state file exists).</summary>
    public IReadOnlyList<string> List() => !Directory.Exists(Root)
        ? Array.Empty<string>()
        : Directory.GetDirectories(Root, "step-*").Where(d => File.Exists(Path.Combine(d, StateFile)))
            .OrderBy(d => d, StringComparer.Ordinal).ToArray();

    /// <summary>"latest" → newest checkpoint of this run (null if none); anything else is a checkpoint folder.</summary>
    public string? Resolve(string? resume)
    {
        if (string.IsNullOrWhiteSpace(resume)) return null;
        if (resume == "latest") return List().LastOrDefault();
        if (!File.Exists(Path.Combine(resume, StateFile)))
            throw new DirectoryNotFoundException($"Checkpoint:Resume = '{resume}' is not a checkpoint folder (no {StateFile}).");
        return resume;
    }

    /// <summary>Reads trainer_state.json: snake_case keys, or the PascalCase ones of checkpoints written before.</summary>
    public static TrainerState LoadState(string checkpoint)
    {
        var path = Path.Combine(checkpoint, StateFile);
        try
        {
            return OutputJson.Deserialize<TrainerState>(File.ReadAllText(path))
                ?? throw new InvalidDataException($"{path}: empty trainer state.");
        }
        catch (JsonException e) { throw new InvalidDataException($"{path}: not a valid trainer state ({e.Message})."); }
    }

    public static void LoadOptimizer(string checkpoint, optim.Optimizer optimizer)
    {
        using var fs = File.OpenRead(Path.Combine(checkpoint, OptimizerFile));
        using var r = new BinaryReader(fs);
        ((TorchSharp.Modules.OptimizerHelper)optimizer).load_state_dict(r);
    }
}
