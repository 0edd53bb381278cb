using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using RlTrainer.Rollout.Model;
using RlTrainer.Rollout.Sampling;
using RlTrainer.Trainer.Checkpoints;

namespace RlTrainer.Trainer.Engines;

/// <summary>
/// Rollouts from inference servers over HTTP. A step's G completions of each prompt go out as one n-sample request;
/// requests are spread round-robin or least-loaded over the URLs, retried on another engine with exponential back-off
/// when one fails, and the step fails with a <see cref="RolloutEngineException"/> naming every URL once all attempts
/// are spent. Weight sync writes the policy as a Hugging Face folder under SyncDir (atomically) and asks each engine to
/// load it; each completion is tagged with the version of the weights that sampled it.
/// </summary>
public sealed class RemoteRolloutEngine : IRolloutEngine
{
    private readonly RolloutEngineOptions _options;
    private readonly IEngineDialect _dialect;
    private readonly string _syncDir, _tokenizerDir;
    private readonly ILogger _logger;
    private readonly EngineEndpoint[] _endpoints;
    private readonly HttpClient _http;
    private int _next, _retries, _syncFailures;
    private double _syncSeconds;

    /// <param name="tokenizerDir">Folder whose tokenizer files go with every synced checkpoint (Model:Path).</param>
    /// <param name="syncDir">Where the synced folders are written; must be readable by every engine.</param>
    /// <param name="startVersion">The version the engines serve at start: 0 (their launch model) for a fresh run.</param>
    public RemoteRolloutEngine(RolloutEngineOptions options, string tokenizerDir, string syncDir, int startVersion, ILogger logger,
        HttpMessageHandler? handler = null)
    {
        _options = options;
        _dialect = options.Dialect == EngineDialect.Vllm ? new VllmCompletionsDialect(options.ModelName) : new SglangGenerateDialect();
        _tokenizerDir = tokenizerDir;
        _syncDir = Path.GetFullPath(syncDir);
        _logger = logger;
        _endpoints = options.Urls.Select(u => new EngineEndpoint(u, options.MaxConcurrentPerEngine) { Version = startVersion }).ToArray();
        _http = new HttpClient(handler ?? new SocketsHttpHandler { MaxConnectionsPerServer = 1024 })
        {
            Timeout = TimeSpan.FromSeconds(options.TimeoutSeconds),
        };
        if (!string.IsNullOrEmpty(options.ApiKey))
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", options.ApiKey);
    }

    public bool IsRemote => true;

    public void SyncWeights(CausalLm policy, int version)
    {
        if (!_options.SyncWeights || _endpoints.All(e => e.Version == version && !e.Down)) return;
        var sw = Stopwatch.StartNew();
        var dir = Path.Combine(_syncDir, WeightVersionLabel.FolderName(version));
        AtomicDirectory.CleanLeftovers(_syncDir);
        AtomicDirectory.Write(dir, d => HfModelFolder.Save(policy, d, _tokenizerDir));
        var (path, body) = _dialect.LoadWeights(dir, version);
        var loads = _endpoints.Select(e => LoadAsync(e, path, body.DeepClone().AsObject(), version)).ToArray();
        Task.WaitAll(loads);
        _syncSeconds += sw.Elapsed.TotalSeconds;
        if (_endpoints.All(e => e.Down))
            throw new RolloutEngineException($"weight sync to version {version} failed on every engine: {Describe()}. The weights are in {dir}.");
        foreach (var old in Directory.GetDirectories(_syncDir, "step-*").Order(StringComparer.Ordinal).SkipLast(2))
            Directory.Delete(old, recursive: true);
    }

    public IReadOnlyList<EngineCompletion> Generate(IReadOnlyList<GenerationRequest> requests, SamplingOptions options,
        int batchSize, CancellationToken ct, IGenerationObserver? observer = null)
    {
        options.Validate();
        var jobs = new List<(PromptJob Job, int First)>();
        for (int i = 0; i < requests.Count;)
        {
            int n = 1;
            while (i + n < requests.Count && ReferenceEquals(requests[i + n].PromptIds, requests[i].PromptIds)) n++;
            jobs.Add((new PromptJob(requests[i].PromptIds, n, requests[i].Seed), i));
            i += n;
        }
        var results = new EngineCompletion[requests.Count];
        var tasks = jobs.Select(async j =>
        {
            var replies = await RunJobAsync(j.Job, options, ct).ConfigureAwait(false);
            for (int k = 0; k < replies.Count; k++) results[j.First + k] = replies[k];
        }).ToArray();
        try { Task.WaitAll(tasks, ct); }
        catch (AggregateException e) when (e.InnerExceptions.FirstOrDefault(x => x is RolloutEngineException or OperationCanceledException) is { } first)
        {
            throw first is OperationCanceledException && ct.IsCancellationRequested ? new OperationCanceledException(ct) : first;
        }
        return results;
    }

    public IReadOnlyDictionary<string, double> TakeCounters()
    {
        var counters = new Dictionary<string, double>
        {
            ["remote/retries"] = Interlocked.Exchange(ref _retries, 0),
            ["remote/sync_failures"] = Interlocked.Exchange(ref _syncFailures, 0),
            ["remote/sync_seconds"] = _syncSeconds,
            ["remote/engines_down"] = _endpoints.Count(e => e.Down),
        };
        _syncSeconds = 0;
        return counters;
    }

    private async Task<IReadOnlyList<EngineCompletion>> RunJobAsync(PromptJob job, SamplingOptions options, CancellationToken ct)
    {
        var body = _dialect.GenerateBody(job, options).ToJsonString();
        var failures = new List<string>();
        for (int attempt = 0; attempt < _options.MaxAttempts; attempt++)
        {
            if (attempt > 0)
            {
                Interlocked.Increment(ref _retries);
                await Task.Delay(TimeSpan.FromSeconds(_options.RetryBackoffSeconds * Math.Pow(2, attempt - 1)), ct).ConfigureAwait(false);
            }
            var e = Pick();
            await e.Slots.WaitAsync(ct).ConfigureAwait(false);
            int version = e.Version;
            try
            {
                var answer = await PostAsync(e, _dialect.GeneratePath, body, ct).ConfigureAwait(false);
                var replies = _dialect.ParseGenerate(answer, job);
                e.Down = false;
                return replies.Select(r => new EngineCompletion(r.Result, r.WeightVersion ?? version, e.Url)).ToList();
            }
            catch (Exception x) when (IsEngineFailure(x, ct))
            {
                e.Down = true;
                e.LastError = Reason(x);
                failures.Add($"{e.Url}{_dialect.GeneratePath} ({e.LastError})");
                _logger.LogWarning("Rollout engine {Url} failed ({Reason}); retrying on another engine", e.Url, e.LastError);
            }
            finally
            {
                e.Slots.Release();
                Interlocked.Decrement(ref e.InFlight);
            }
        }
        throw new RolloutEngineException($"rollout request failed after {_options.MaxAttempts} attempts: {string.Join("; ", failures)}.");
    }

    /// Up engines first; among them the next in turn or the least loaded. With every engine down, all are candidates
    /// again (one may have come back).
    private EngineEndpoint Pick()
    {
        lock (_endpoints)
        {
            var up = _endpoints.Where(e => !e.Down).ToArray();
            var pool = up.Length > 0 ? up : _endpoints;
            var chosen = _options.Balancing == EngineBalancing.RoundRobin
                ? pool[(int)((uint)_next++ % (uint)pool.Length)]
                : pool.MinBy(e => e.InFlight)!;
            chosen.InFlight++;
            return chosen;
        }
    }

    private async Task LoadAsync(EngineEndpoint e, string path, JsonObject body, int version)
    {
        try
        {
            var answer = await PostAsync(e, path, body.ToJsonString(), CancellationToken.None).ConfigureAwait(false);
            if (_dialect.LoadFailure(answer) is { } failure) throw new HttpRequestException($"load refused: {failure}");
            e.Version = version;
            e.Down = false;
        }
        catch (Exception x) when (IsEngineFailure(x, CancellationToken.None))
        {
            Interlocked.Increment(ref _syncFailures);
            e.Down = true;
            e.LastError = $"{path}: {Reason(x)}";
            _logger.LogWarning("Weight sync to {Url}{Path} failed ({Reason}); the engine gets no rollouts until it loads the weights",
                e.Url, path, Reason(x));
        }
    }

    private async Task<JsonNode?> PostAsync(EngineEndpoint e, string path, string json, CancellationToken ct)
    {
        using var content = new StringContent(json, Encoding.UTF8, "application/json");
        using var response = await _http.PostAsync(e.Url + path, content, ct).ConfigureAwait(false);
        var text = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
            throw new HttpRequestException($"HTTP {(int)response.StatusCode}: {Truncate(text)}");
        try { return JsonNode.Parse(text); }
        catch (System.Text.Json.JsonException x) { throw new FormatException($"answer is not JSON ({x.Message}): {Truncate(text)}"); }
    }

    private static bool IsEngineFailure(Exception x, CancellationToken ct) =>
        x is HttpRequestException or FormatException or InvalidOperationException or System.Text.Json.JsonException
        || (x is TaskCanceledException && !ct.IsCancellationRequested);

    private static string Reason(Exception x) => x is TaskCanceledException ? "timed out" : x.Message;

    private static string Truncate(string s) => s.Length <= 300 ? s : s[..300] + "…";

    private string Describe() => string.Join("; ", _endpoints.Select(e => $"{e.Url} ({e.LastError ?? "ok"})"));

    public void Dispose() => _http.Dispose();
}
