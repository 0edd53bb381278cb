using System.Net;
using Polly.Timeout;

namespace RlTrainer.Trainer.Engines;

/// <summary>
/// What a failed start-up probe or start-up weight sync means, in one sentence that names the setting (or the engine
/// flag) to change: the run stops before its first step instead of marking engines down mid-run.
/// </summary>
internal static class EngineStartupCheck
{
    /// <summary>Errors and warnings about what one engine said about itself (GET InfoPath).</summary>
    public static (List<string> Errors, List<string> Warnings) Review(string url, EngineInfo info, RolloutEngineOptions o)
    {
        var errors = new List<string>();
        var warnings = new List<string>();
        if (o.Dialect != EngineDialect.Sglang) return (errors, warnings);
        switch (info.DeterministicInference, o.SendSeeds)
        {
            case (null, true):
                errors.Add($"{url}: SGLang {info.Version} reports no enable_deterministic_inference, so it predates per-request seeds and rejects \"sampling_seed\": set RolloutEngine:SendSeeds=false, or run an SGLang with --enable-deterministic-inference.");
                break;
            case (true, false):
                errors.Add($"{url}: SGLang {info.Version} runs with --enable-deterministic-inference, where a request without \"sampling_seed\" takes one fixed seed, so the copies of a prompt would come back identical: set RolloutEngine:SendSeeds=true.");
                break;
            case (false, true):
                warnings.Add($"{url}: SGLang {info.Version} runs without --enable-deterministic-inference: it takes \"sampling_seed\", but its samples are reproducible only with that flag.");
                break;
        }
        return (errors, warnings);
    }

    /// <summary>Why GET <paramref name="path"/> failed after its attempts.</summary>
    public static string ProbeFailure(string url, string path, Exception x, RolloutEngineOptions o) => x switch
    {
        EngineRequestRejectedException { Status: HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden } r =>
            $"{url}{path} answered HTTP {(int)r.Status} ({r.ServerMessage}): set RolloutEngine:ApiKey to the engine's API key.",
        EngineRequestRejectedException { Status: HttpStatusCode.NotFound } =>
            $"{url}{path} answered HTTP 404, so this is not a {Family(o.Dialect)} server: check RolloutEngine:Urls and RolloutEngine:Dialect (now {o.Dialect}).",
        EngineRequestRejectedException r => $"{url}{path} answered HTTP {(int)r.Status}: {r.ServerMessage}.",
        FormatException => $"{url}{path}: {x.Message}: check RolloutEngine:Dialect (now {o.Dialect}) and RolloutEngine:Urls.",
        TimeoutRejectedException =>
            $"{url}{path} did not answer within RolloutEngine:ProbeTimeoutSeconds = {o.ProbeTimeoutSeconds} s, {o.MaxAttempts} times.",
        _ => $"{url}{path} failed {o.MaxAttempts} times ({x.Message}): start the engine, or fix RolloutEngine:Urls.",
    };

    /// <summary>Why the start-up load of <paramref name="dir"/> failed at <paramref name="path"/> (the load itself or
    /// the cache reset after it).</summary>
    public static string LoadFailure(string url, string path, Exception x, string dir, EngineInfo? info, RolloutEngineOptions o)
    {
        int? status = x switch
        {
            EngineRequestRejectedException r => (int)r.Status,
            HttpRequestException { StatusCode: { } s } => (int)s,
            _ => null,
        };
        string reason = x is EngineRequestRejectedException rr ? rr.ServerMessage : x.Message;
        const string shared = "RolloutEngine:SyncDir must be shared storage mounted at the same path on the trainer and on every engine";
        if (x is TimeoutRejectedException)
            return $"{url}{path} did not finish with {dir} within RolloutEngine:ReloadTimeoutSeconds = {o.ReloadTimeoutSeconds} s.";
        if (status is null)
            return $"{url}{path} failed ({reason}).";
        if (o.LoraSync == LoraSyncMode.Adapter)
            return AdapterLoadFailure(url, path, status.Value, reason, dir, o) + $" {shared}.";
        if (o.Dialect == EngineDialect.Vllm && status == 404)
            return $"{url}{path} answered HTTP 404: vLLM serves it only with VLLM_SERVER_DEV_MODE=1. Start the engines so, or set RolloutEngine:SyncWeights=false (they then keep their launch weights).";
        if (o.Dialect == EngineDialect.Vllm && path == "/collective_rpc")
            return $"{url}/collective_rpc reload_weights(weights_path='{dir}') failed on vLLM {info?.Version ?? "(version unknown)"} with HTTP {status} ({reason}). Either its reload_weights takes no weights_path (added by vLLM PR #32133, merged 2026-01-30): upgrade vLLM or set RolloutEngine:SyncWeights=false; or it cannot read the folder: {shared}.";
        if (o.Dialect == EngineDialect.Sglang && status == 404)
            return $"{url}{path} answered HTTP 404: not an SGLang server with weight updates from disk: check RolloutEngine:Dialect (now {o.Dialect}).";
        return $"{url}{path} could not load {dir} (HTTP {status}: {reason}): {shared}.";
    }

    /// With LoraSync=Adapter every load is an adapter load; the engine must run with runtime LoRA loading on.
    private static string AdapterLoadFailure(string url, string path, int status, string reason, string dir, RolloutEngineOptions o)
    {
        var flags = o.Dialect == EngineDialect.Vllm
            ? "vLLM serves it only with VLLM_ALLOW_RUNTIME_LORA_UPDATING=True and --enable-lora (--max-lora-rank at least Model:Lora:Rank)"
            : "SGLang serves it only with --enable-lora (--max-lora-rank at least Model:Lora:Rank, --lora-target-modules covering Model:Lora:TargetModules)";
        var what = status == 404 ? "answered HTTP 404" : $"could not load the adapter {dir} (HTTP {status}: {reason})";
        return $"{url}{path} {what}: {flags}. Start the engines so, or set RolloutEngine:LoraSync=Merged. The folder must be readable by the engine:";
    }

    private static string Family(EngineDialect d) => d == EngineDialect.Vllm ? "vLLM" : "SGLang";
}
