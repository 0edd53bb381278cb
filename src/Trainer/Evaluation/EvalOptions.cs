using System.ComponentModel.DataAnnotations;

namespace RlTrainer.Trainer.Evaluation;

/// <summary>How a checkpoint is evaluated on a verifiable set.</summary>
public sealed class EvalOptions
{
    public const string Section = "Eval";

    /// <summary>Samples per problem for pass@k / maj@k / avg@k; 1 = greedy pass@1 only. Default 1.</summary>
    [Range(1, 1024)] public int K { get; set; } = 1;
    /// <summary>Sampling temperature of the k samples. Default 1.0.</summary>
    [Range(1e-6, 100.0)] public double Temperature { get; set; } = 1.0;
    /// <summary>Nucleus mass of the k samples. Default 1.0.</summary>
    [Range(1e-6, 1.0)] public double TopP { get; set; } = 1.0;
    /// <summary>Generated tokens per completion at most. Default 256.</summary>
    [Range(1, 1 << 20)] public int MaxNewTokens { get; set; } = 256;
    /// <summary>Completions decoded together. Default 64.</summary>
    [Range(1, 100000)] public int BatchSize { get; set; } = 64;
    /// <summary>Evaluate only the first N problems; 0 = all. Default 0.</summary>
    [Range(0, int.MaxValue)] public int Limit { get; set; }
    /// <summary>During training: evaluate the held-out set every N steps (and before the first and after the last); 0 = only before and after. Default 0.</summary>
    [Range(0, int.MaxValue)] public int Every { get; set; }
    /// <summary>During training: evaluate at all. Default true.</summary>
    public bool Enabled { get; set; } = true;
    /// <summary>During training: further sets evaluated with the held-out one, name → files or globs (e.g.
    /// <c>"general": ["data/general/test.parquet"]</c>, to watch forgetting); logged as <c>eval/&lt;name&gt;/accuracy</c>. Default: none.</summary>
    public Dictionary<string, List<string>> Sets { get; set; } = new();
    /// <summary>Seed of the k samples (problem i, sample j uses a seed derived from it). Default 0.</summary>
    public int Seed { get; set; }
}
