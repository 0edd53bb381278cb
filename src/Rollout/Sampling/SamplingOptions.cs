namespace RlTrainer.Rollout.Sampling;

/// <summary>How one batch is decoded. Defaults match Hugging Face generate/TRL: temperature 1, no top-k/top-p.</summary>
public sealed record SamplingOptions
{
    /// <summary>Upper bound on generated tokens per row. Default 128.</summary>
    public int MaxNewTokens { get; init; } = 128;
    /// <summary>Pick the arg-max token instead of sampling. Default false.</summary>
    public bool Greedy { get; init; }
    /// <summary>Softmax temperature (&gt; 0). Log-probs are reported under log_softmax(logits / temperature), as TRL computes them. Default 1.</summary>
    public double Temperature { get; init; } = 1.0;
    /// <summary>Nucleus sampling mass in (0, 1]; 1 disables. Default 1.</summary>
    public double TopP { get; init; } = 1.0;
    /// <summary>Keep only the K most likely tokens; 0 disables. Default 0.</summary>
    public int TopK { get; init; }
    /// <summary>Finish a row when its decoded completion contains one of these strings (kept in the output, like HF stop_strings).</summary>
    public IReadOnlyList<string> StopStrings { get; init; } = Array.Empty<string>();
    /// <summary>Token ids that end a row (kept as its last token). Usually the tokenizer's eos ids.</summary>
    public IReadOnlySet<int> EosTokenIds { get; init; } = new HashSet<int>();
    /// <summary>Reuse keys/values of earlier positions (on) or recompute the whole sequence every step (off, for benchmarks). Default on.</summary>
    public bool UseKvCache { get; init; } = true;
    /// <summary>Prefill identical prompts once and copy their KV cache to each of their rows (the G samples of a
    /// group); off prefills every row itself (for benchmarks). Tokens and log-probs are the same either way. Default on.</summary>
    public bool SharePromptPrefill { get; init; } = true;

    public void Validate()
    {
        if (MaxNewTokens < 1) throw new ArgumentOutOfRangeException(nameof(MaxNewTokens), MaxNewTokens, "max_new_tokens must be at least 1.");
        if (!(Temperature > 0) || double.IsInfinity(Temperature)) throw new ArgumentOutOfRangeException(nameof(Temperature), Temperature, "temperature must be a finite number > 0 (use greedy for arg-max).");
        if (!(TopP > 0 && TopP <= 1)) throw new ArgumentOutOfRangeException(nameof(TopP), TopP, "top_p must be in (0, 1].");
        if (TopK < 0) throw new ArgumentOutOfRangeException(nameof(TopK), TopK, "top_k must be >= 0.");
    }
}
