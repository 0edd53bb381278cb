using System.ComponentModel.DataAnnotations;

namespace RlTrainer.Trainer.Training;

/// <summary>How completions are sampled each step. Defaults follow TRL's GRPOConfig where it has one.</summary>
public sealed class RolloutOptions
{
    public const string Section = "Rollout";

    /// <summary>Prompts drawn per training step. Default 8.</summary>
    [Range(1, 100000)] public int PromptsPerStep { get; set; } = 8;
    /// <summary>Completions per prompt (G, TRL num_generations). At least 2. Default 8.</summary>
    [Range(2, 1024)] public int GroupSize { get; set; } = 8;
    /// <summary>Generated tokens per completion at most (TRL max_completion_length). Default 256.</summary>
    [Range(1, 1 << 20)] public int MaxNewTokens { get; set; } = 256;
    /// <summary>Sampling temperature; log-probs are taken under logits / temperature, as TRL does. Default 1.0.</summary>
    [Range(1e-6, 100.0)] public double Temperature { get; set; } = 1.0;
    /// <summary>Nucleus mass. Default 1.0.</summary>
    [Range(1e-6, 1.0)] public double TopP { get; set; } = 1.0;
    /// <summary>Top-k filter; 0 disables. Default 0.</summary>
    [Range(0, int.MaxValue)] public int TopK { get; set; }
    /// <summary>Rows decoded together (a whole step's completions are split into batches of this size). Default 64.</summary>
    [Range(1, 100000)] public int BatchSize { get; set; } = 64;
    /// <summary>Extra stop strings besides the tokenizer's eos ids. Default none.</summary>
    public List<string> StopStrings { get; set; } = new();
}
