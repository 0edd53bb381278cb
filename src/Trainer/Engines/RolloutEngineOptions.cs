using System.ComponentModel.DataAnnotations;

namespace RlTrainer.Trainer.Engines;

/// <summary>
/// Config section "RolloutEngine": sample with the built-in sampler (Local, default) or with inference servers over
/// HTTP (Remote). Remote engines must have been started on the same model as Model:Path; the trainer pushes its
/// weights to them after every update.
/// </summary>
public sealed class RolloutEngineOptions : IValidatableObject
{
    public const string Section = "RolloutEngine";

    /// <summary>Local or Remote. Default Local.</summary>
    public RolloutEngineKind Kind { get; set; } = RolloutEngineKind.Local;
    /// <summary>Base URLs of the engines (e.g. http://10.0.0.5:8000), no path. Required for Remote.</summary>
    public List<string> Urls { get; set; } = new();
    /// <summary>Vllm or Sglang. Default Vllm.</summary>
    public EngineDialect Dialect { get; set; } = EngineDialect.Vllm;
    /// <summary>RoundRobin or LeastLoaded. Default LeastLoaded.</summary>
    public EngineBalancing Balancing { get; set; } = EngineBalancing.LeastLoaded;
    /// <summary>The "model" field of vLLM requests (the server's --served-model-name); empty = omitted. Default empty.</summary>
    public string ModelName { get; set; } = "";
    /// <summary>Sent as "Authorization: Bearer KEY" (vLLM --api-key, SGLang --api-key, serve --api-key). Default none.</summary>
    public string? ApiKey { get; set; }
    /// <summary>Seconds one generation request may take on one engine before that attempt counts as failed (a Polly
    /// timeout per attempt; the wait for a free slot on the engine is not counted). Default 600.</summary>
    [Range(0.1, 86400.0)] public double TimeoutSeconds { get; set; } = 600;
    /// <summary>Seconds one engine may take to load a synced folder (vLLM reload_weights, SGLang
    /// update_weights_from_disk), separate from TimeoutSeconds because a load reads the whole checkpoint from shared
    /// storage: a 7B bf16 model is ~15 GB. Not retried: a timed-out engine is marked down and asked again at the next
    /// sync. Default 1800.</summary>
    [Range(1.0, 86400.0)] public double ReloadTimeoutSeconds { get; set; } = 1800;
    /// <summary>Seconds each start-up probe request (GET /version, GET /get_server_info) may take. Default 30.</summary>
    [Range(0.1, 3600.0)] public double ProbeTimeoutSeconds { get; set; } = 30;
    /// <summary>Attempts per prompt request across the engines before the step fails; also the attempts of each start-up
    /// probe. Only transient failures are retried (connection refused, time-outs, HTTP 408/429/5xx, malformed answers);
    /// any other 4xx fails the step at once with the server's message. Default 4.</summary>
    [Range(1, 100)] public int MaxAttempts { get; set; } = 4;
    /// <summary>Back-off before the second attempt; doubles on each later one (Polly exponential, no jitter). Default 0.5.</summary>
    [Range(0.0, 600.0)] public double RetryBackoffSeconds { get; set; } = 0.5;
    /// <summary>Send each request's seed (vLLM "seed", whose n samples use seed + index; SGLang "sampling_seed", one per
    /// copy). SGLang builds without deterministic inference reject "sampling_seed", and one started with
    /// --enable-deterministic-inference needs it (the start-up probe checks both). Default false: the engines draw
    /// their own randomness.</summary>
    public bool SendSeeds { get; set; }
    /// <summary>At start, push the starting weights to every engine once (write SyncDir/step-N, load it, reset the
    /// prefix cache), so that a vLLM without dev mode or without reload_weights(weights_path), or a SyncDir the engines
    /// cannot read, stops the run before its first step with a message naming the setting. Only with SyncWeights.
    /// Default true.</summary>
    public bool VerifySyncAtStart { get; set; } = true;
    /// <summary>Prompt requests in flight per engine at most. Default 8.</summary>
    [Range(1, 4096)] public int MaxConcurrentPerEngine { get; set; } = 8;
    /// <summary>
    /// Folder the engines can read (shared storage) where the trainer writes the policy as a Hugging Face folder before
    /// asking them to load it. Default: &lt;Training:OutputDir&gt;/engine-weights.
    /// </summary>
    public string? SyncDir { get; set; }
    /// <summary>Push weights to the engines after each update. false = the engines keep their launch weights (for a
    /// vLLM without a reload endpoint; every rollout then counts as stale). Default true.</summary>
    public bool SyncWeights { get; set; } = true;
    /// <summary>With a LoRA policy (Model:Lora:Enabled): Merged writes the merged model for the engines to reload;
    /// Adapter writes only the adapter (PEFT layout) and has each engine load it through its LoRA endpoints (vLLM
    /// POST /v1/load_lora_adapter with VLLM_ALLOW_RUNTIME_LORA_UPDATING=True and --enable-lora; SGLang POST
    /// /load_lora_adapter with --enable-lora), then names it in every request. Default Merged.</summary>
    public LoraSyncMode LoraSync { get; set; } = LoraSyncMode.Merged;
    /// <summary>Trainer (recompute the behaviour log-probs, then correct by Correction) or Engine (take the engine's, no
    /// recompute, no correction: Correction must be None). Default Trainer.</summary>
    public BehaviourLogProbSource BehaviourLogProbs { get; set; } = BehaviourLogProbSource.Trainer;
    /// <summary>Importance-sampling correction of engine log-probs (docs/algorithms.md#remote-importance-sampling). Default SequenceMask, as TRL.</summary>
    public IsCorrectionMode Correction { get; set; } = IsCorrectionMode.SequenceMask;
    /// <summary>Upper bound C_max of ρ. Default 3.0 (TRL vllm_importance_sampling_cap).</summary>
    [Range(1.0, 1e6)] public double CorrectionMax { get; set; } = 3.0;
    /// <summary>Lower bound C_min of ρ; empty = none. Default none.</summary>
    public double? CorrectionMin { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext context)
    {
        if (Kind != RolloutEngineKind.Remote) yield break;
        if (Urls.Count == 0)
            yield return new ValidationResult("Kind = Remote needs at least one engine base URL.", new[] { nameof(Urls) });
        foreach (var u in Urls)
            if (!Uri.TryCreate(u, UriKind.Absolute, out var uri) || (uri.Scheme != "http" && uri.Scheme != "https"))
                yield return new ValidationResult($"'{u}' is not an http(s) URL.", new[] { nameof(Urls) });
        if (BehaviourLogProbs == BehaviourLogProbSource.Engine && Correction != IsCorrectionMode.None)
            yield return new ValidationResult(
                $"is {Correction}, but BehaviourLogProbs = Engine takes the engine's log-probs as the behaviour log-probs, so " +
                "there is no train/inference ratio to correct: set RolloutEngine:Correction = None, or BehaviourLogProbs = Trainer.",
                new[] { nameof(Correction) });
        if (CorrectionMin is { } min && (min < 0 || min > CorrectionMax))
            yield return new ValidationResult($"must be in [0, CorrectionMax = {CorrectionMax}].", new[] { nameof(CorrectionMin) });
    }
}
