using System.Text.Json;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace RlTrainer.Trainer.Engines;

/// <summary>
/// The Polly 8 pipelines of the remote engines. Retries wrap a whole attempt (which picks its engine again, so a
/// retry usually lands on another one); time-outs wrap one HTTP call (so waiting for a free slot on a busy engine is
/// not counted). Only transient failures are retried: an unreachable or crashed engine, a time-out, HTTP 408/429/5xx,
/// an answer that does not parse. A deterministic 4xx (<see cref="EngineRequestRejectedException"/>) and
/// cancellation pass straight through.
/// </summary>
internal static class EngineResilience
{
    /// <param name="onRetry">Called before each retry (counters).</param>
    public static ResiliencePipeline Retry(int maxAttempts, double backoffSeconds, Action? onRetry = null)
    {
        var builder = new ResiliencePipelineBuilder();
        if (maxAttempts > 1)
            builder.AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = maxAttempts - 1,
                Delay = TimeSpan.FromSeconds(backoffSeconds),     // before retry k (0-based): Delay · 2^k
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = false,
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is { } x && IsTransient(x)),
                OnRetry = _ => { onRetry?.Invoke(); return default; },
            });
        return builder.Build();
    }

    public static ResiliencePipeline Timeout(double seconds) =>
        new ResiliencePipelineBuilder().AddTimeout(TimeSpan.FromSeconds(seconds)).Build();

    /// <summary>Failures another attempt may not meet. HttpRequestException covers refused connections and the
    /// statuses <see cref="EngineHttp"/> leaves retryable; InvalidOperationException a JSON value of the wrong kind.</summary>
    public static bool IsTransient(Exception x) =>
        x is HttpRequestException or TimeoutRejectedException or FormatException or JsonException or InvalidOperationException;
}
