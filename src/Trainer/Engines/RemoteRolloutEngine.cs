using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Timeout;
using RlTrainer.Rollout.Model;
using RlTrainer.Rollout.Sampling;
using RlTrainer.Trainer.Checkpoints;

namespace RlTrainer.Trainer.Engines;

/// <summary>
/// Rollouts from inference servers over HTTP. <see cref="Start"/> probes every engine and, unless told not to, loads
/// the starting weights into each, so a wrong URL, dialect, API key, seed setting or a missing reload endpoint stops
/// the run before its first step. A step's G completions of each prompt go out as one n-sample request, spread
/// round-robin or least-loaded over the URLs; a transient failure is retried by the Polly pipeline on another engine
/// with exponential back-off, and marks the engine down; a deterministic 4xx fails the step at once with the server's
/// message. Weight sync writes the policy as a Hugging Face folder under SyncDir (atomically), asks each engine to load
/// it under its own time-out, then resets its prefix cache; with LoraSync=Adapter it writes only the LoRA adapter, has
/// each engine load it under a name per version, drops the previous one, and names it in every request. Each
/// completion is tagged with the version of the weights that sampled it.
/// </summary>
public sealed class RemoteRolloutEngine : IRolloutEngine
{
    private readonly RolloutEngineOptions _options;
    private readonly IEngineDialect _dialect;
    private readonly string _syncDir, _tokenizerDir;
    private readonly ILogger _logger;
    private readonly EngineEndpoint[] _endpoints;
    private readonly EngineHttp _http;
    private readonly ResiliencePipeline _requestRetry, _probeRetry, _cacheResetRetry, _requestTimeout, _reloadTimeout, _probeTimeout;
    private int _next, _retries, _syncFailures;
    private double _syncSeconds;

    /// <param name="tokenizerDir">Folder whose tokenizer files go with every synced checkpoint (Model:Path).</param>
    /// <param name="syncDir">Where the synced folders are written; must be readable by every engine.</param>
    /// <param name="startVersion">The version the engines serve at start: 0 (their launch model) for a fresh run.</param>
    public RemoteRolloutEngine(RolloutEngineOptions options, string tokenizerDir, string syncDir, int startVersion, ILogger logger,
        HttpMessageHandler? handler = null)
    {
        _options = options;
        _dialect = options.Dialect == EngineDialect.Vllm
            ? new VllmCompletionsDialect(options.ModelName, options.SendSeeds)
            : new SglangGenerateDialect(options.SendSeeds);
        _tokenizerDir = tokenizerDir;
        _syncDir = Path.GetFullPath(syncDir);
        _logger = logger;
        _endpoints = options.Urls.Select(u => new EngineEndpoint(u, options.MaxConcurrentPerEngine) { Version = startVersion }).ToArray();
        _http = new EngineHttp(options.ApiKey, handler);
        _requestRetry = EngineResilience.Retry(options.MaxAttempts, options.RetryBackoffSeconds, () => Interlocked.Increment(ref _retries));
        _probeRetry = EngineResilience.Retry(options.MaxAttempts, options.RetryBackoffSeconds);
        _cacheResetRetry = EngineResilience.Retry(options.MaxAttempts, options.RetryBackoffSeconds);
        _requestTimeout = EngineResilience.Timeout(options.TimeoutSeconds);
        _reloadTimeout = EngineResilience.Timeout(options.ReloadTimeoutSeconds);
        _probeTimeout = EngineResilience.Timeout(options.ProbeTimeoutSeconds);
    }

    public bool IsRemote => true;

    /// <summary>Probes every engine (GET /version or /get_server_info) and, with SyncWeights and VerifySyncAtStart, makes
    /// each load <paramref name="policy"/> as version <paramref name="version"/>; throws a
    /// <see cref="RolloutEngineException"/> naming the setting to change when an engine fails.</summary>
    public void Start(CausalLm policy, int version)
    {
        var errors = ProbeAllAsync().GetAwaiter().GetResult();
        if (errors.Count > 0)
            throw new RolloutEngineException("rollout engine start-up check failed: " + string.Join(" ", errors));
        if (!_options.SyncWeights || !_options.VerifySyncAtStart) return;
        var (dir, failures) = Sync(policy, version, _endpoints);
        if (failures.Count > 0)
            throw new RolloutEngineException("start-up weight sync failed: " + string.Join(" ", failures.Select(f =>
                EngineStartupCheck.LoadFailure(f.Engine.Url, f.Path, f.Error, dir, f.Engine.Info, _options)))
                + " (RolloutEngine:VerifySyncAtStart=false skips this check.)");
    }

    public void SyncWeights(CausalLm policy, int version)
    {
        if (!_options.SyncWeights) return;
        var stale = _endpoints.Where(e => e.Version != version || e.Down).ToArray();
        if (stale.Length == 0) return;
        var (dir, _) = Sync(policy, version, stale);
        if (_endpoints.All(e => e.Down))
            throw new RolloutEngineException($"weight sync to version {version} failed on every engine: {Describe()}. The weights are in {dir}.");
    }

    /// <remarks>With a decode hook from <paramref name="observer"/> (tool calls; pruning is refused with remote engines)
    /// the trainer drives the turns: <see cref="RemoteTurns"/> feeds each finished turn to the hook, injects what it asks
    /// and sends the prompt plus the transcript so far, as token ids, for the next turn.</remarks>
    public IReadOnlyList<EngineCompletion> Generate(IReadOnlyList<GenerationRequest> requests, SamplingOptions options,
        int batchSize, CancellationToken ct, IGenerationObserver? observer = null)
    {
        options.Validate();
        var clock = Stopwatch.StartNew();
        var jobs = new List<(PromptJob Job, SamplingOptions Options)>();
        var first = new List<int>();
        for (int i = 0; i < requests.Count;)
        {
            int n = 1;
            while (i + n < requests.Count && ReferenceEquals(requests[i + n].PromptIds, requests[i].PromptIds)) n++;
            jobs.Add((new PromptJob(requests[i].PromptIds, n, requests[i].Seed), options));
            first.Add(i);
            i += n;
        }
        var replies = RunAll(jobs, ct);
        var results = new EngineCompletion[requests.Count];
        for (int j = 0; j < jobs.Count; j++)
            for (int k = 0; k < replies[j].Count; k++) results[first[j] + k] = replies[j][k];
        if (observer?.HookFor(0, requests.Count) is not { } hook) return results;
        var completed = RemoteTurns.Run(requests, options, results, hook, RunAll, ct);
        var final = completed.Select(c => c.Result).ToList();
        // What the trainer can count of the engines' work: rows, sampled and injected tokens, the turns' wall time.
        long injected = final.Sum(r => (long)r.InjectedTokens);
        var stats = new GenerationStats
        {
            Rows = final.Count, SampledTokens = final.Sum(r => (long)r.TokenIds.Count) - injected, InjectedTokens = injected,
            WallTime = clock.Elapsed,
        };
        observer.Record(stats, final, hook);
        return completed;
    }

    /// Runs the jobs in parallel, each with its own sampling options; the first failed job stops the others.
    private IReadOnlyList<EngineCompletion>[] RunAll(IReadOnlyList<(PromptJob Job, SamplingOptions Options)> jobs, CancellationToken ct)
    {
        var replies = new IReadOnlyList<EngineCompletion>[jobs.Count];
        using var step = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var tasks = jobs.Select(async (j, index) =>
        {
            try { replies[index] = await RunJobAsync(j.Job, j.Options, step.Token).ConfigureAwait(false); }
            catch (RolloutEngineException) { step.Cancel(); throw; }
        }).ToArray();
        try { Task.WaitAll(tasks, ct); }
        catch (AggregateException e)
        {
            if (e.InnerExceptions.OfType<RolloutEngineException>().FirstOrDefault() is { } failure) throw failure;
            if (e.InnerExceptions.Any(x => x is OperationCanceledException) && ct.IsCancellationRequested) throw new OperationCanceledException(ct);
            throw;
        }
        return replies;
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
        var failures = new List<string>();
        try
        {
            return await _requestRetry.ExecuteAsync(async token => await AttemptAsync(job, options, failures, token).ConfigureAwait(false), ct)
                .ConfigureAwait(false);
        }
        catch (EngineRequestRejectedException x)
        {
            throw new RolloutEngineException($"{x.Url} rejected a rollout request with HTTP {(int)x.Status}: {x.ServerMessage}{Hint(x.Status)}. "
                + "Not retried: the same request would fail on every engine.", x);
        }
        catch (Exception x) when (EngineResilience.IsTransient(x))
        {
            throw new RolloutEngineException($"rollout request failed after {failures.Count} attempts: {string.Join("; ", failures)}.", x);
        }
    }

    /// One attempt on the engine picked now; a transient failure marks that engine down and goes back to the retry.
    /// The body names the adapter that engine holds (engines that missed a sync still hold an older one).
    private async Task<IReadOnlyList<EngineCompletion>> AttemptAsync(PromptJob job, SamplingOptions options, List<string> failures, CancellationToken ct)
    {
        var e = Pick();
        bool slot = false;
        try
        {
            await e.Slots.WaitAsync(ct).ConfigureAwait(false);
            slot = true;
            int version = e.Version;
            var body = _dialect.GenerateBody(job, options, e.Adapter).ToJsonString();
            var answer = await _requestTimeout.ExecuteAsync(
                async t => await _http.PostAsync(e.Url + _dialect.GeneratePath, body, t).ConfigureAwait(false), ct).ConfigureAwait(false);
            var replies = _dialect.ParseGenerate(answer, job);
            e.Down = false;
            return replies.Select(r => new EngineCompletion(r.Result, r.WeightVersion ?? version, e.Url)).ToList();
        }
        catch (Exception x) when (EngineResilience.IsTransient(x))
        {
            e.Down = true;
            e.LastError = Reason(x);
            lock (failures) failures.Add($"{e.Url}{_dialect.GeneratePath} ({e.LastError})");
            _logger.LogWarning("Rollout engine {Url} failed ({Reason}); retrying on another engine", e.Url, e.LastError);
            throw;
        }
        finally
        {
            if (slot) e.Slots.Release();
            Interlocked.Decrement(ref e.InFlight);
        }
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
                : pool.MinBy(e => Volatile.Read(ref e.InFlight))!;
            Interlocked.Increment(ref chosen.InFlight);
            return chosen;
        }
    }

    private async Task<List<string>> ProbeAllAsync()
    {
        var errors = new List<string>();
        foreach (var (e, info, failure) in await Task.WhenAll(_endpoints.Select(ProbeAsync)).ConfigureAwait(false))
        {
            if (failure is not null) { errors.Add(failure); continue; }
            e.Info = info;
            var (problems, warnings) = EngineStartupCheck.Review(e.Url, info!, _options);
            errors.AddRange(problems);
            foreach (var w in warnings) _logger.LogWarning("{Warning}", w);
            _logger.LogInformation("Rollout engine {Url}: {Dialect} {Version}", e.Url, _options.Dialect, info!.Version);
        }
        return errors;
    }

    private async Task<(EngineEndpoint, EngineInfo?, string?)> ProbeAsync(EngineEndpoint e)
    {
        try
        {
            var answer = await _probeRetry.ExecuteAsync(async t => await _probeTimeout.ExecuteAsync(
                async u => await _http.GetAsync(e.Url + _dialect.InfoPath, u).ConfigureAwait(false), t).ConfigureAwait(false)).ConfigureAwait(false);
            return (e, _dialect.ParseInfo(answer), null);
        }
        catch (Exception x) when (x is EngineRequestRejectedException || EngineResilience.IsTransient(x))
        {
            return (e, null, EngineStartupCheck.ProbeFailure(e.Url, _dialect.InfoPath, x, _options));
        }
    }

    /// Writes the policy once and has <paramref name="targets"/> load it; returns the folder and the failed loads.
    private (string Dir, List<(EngineEndpoint Engine, string Path, Exception Error)> Failures) Sync(CausalLm policy, int version,
        IReadOnlyList<EngineEndpoint> targets)
    {
        var sw = Stopwatch.StartNew();
        var dir = Path.Combine(_syncDir, WeightVersionLabel.FolderName(version));
        AtomicDirectory.CleanLeftovers(_syncDir);
        bool adapter = _options.LoraSync == LoraSyncMode.Adapter;
        if (adapter && policy.Lora is null)
            throw new RolloutEngineException("RolloutEngine:LoraSync=Adapter needs a policy with LoRA adapters (Model:Lora:Enabled=true).");
        // A LoRA policy reaches the engine as its adapter alone, or as a merged copy (W + α/r·B·A); the policy keeps
        // its adapters either way.
        AtomicDirectory.Write(dir, d =>
        {
            if (adapter) PeftAdapterFolder.Save(policy, d);
            else HfModelFolder.Save(policy, d, _tokenizerDir, mergeAdapters: true);
        });
        var results = Task.WhenAll(targets.Select(e => adapter ? LoadAdapterAsync(e, dir, version) : LoadAsync(e, dir, version)))
            .GetAwaiter().GetResult();
        _syncSeconds += sw.Elapsed.TotalSeconds;
        if (_endpoints.Any(e => !e.Down))
            foreach (var old in Directory.GetDirectories(_syncDir, "step-*").Order(StringComparer.Ordinal).SkipLast(2))
                Directory.Delete(old, recursive: true);
        return (dir, results.Where(r => r.Error is not null).Select(r => (r.Engine, r.Path, r.Error!)).ToList());
    }

    /// Load, then reset the prefix cache (vLLM); the load and the reset run under ReloadTimeoutSeconds, unretried
    /// (a second load of a large checkpoint is no quick fix), the reset retried while the engine still holds blocks.
    private async Task<(EngineEndpoint Engine, string Path, Exception? Error)> LoadAsync(EngineEndpoint e, string dir, int version)
    {
        var (path, body) = _dialect.LoadWeights(dir, version);
        var step = path;
        try
        {
            var answer = await _reloadTimeout.ExecuteAsync(async t => await _http.PostAsync(e.Url + path, body.ToJsonString(), t)
                .ConfigureAwait(false)).ConfigureAwait(false);
            if (_dialect.LoadFailure(answer) is { } refused) throw new HttpRequestException($"load refused: {refused}");
            if (_dialect.CacheResetPath is { } reset)
            {
                step = reset;
                await _cacheResetRetry.ExecuteAsync(async t =>
                {
                    var reply = await _reloadTimeout.ExecuteAsync(async u => await _http.PostAsync(e.Url + reset, null, u).ConfigureAwait(false), t)
                        .ConfigureAwait(false);
                    if (_dialect.CacheResetFailure(reply) is { } kept) throw new HttpRequestException(kept);
                }).ConfigureAwait(false);
            }
            e.Version = version;
            e.Down = false;
            return (e, step, null);
        }
        catch (Exception x) when (x is EngineRequestRejectedException || EngineResilience.IsTransient(x))
        {
            return LoadFailed(e, step, x);
        }
    }

    /// Load the adapter under this version's name (under ReloadTimeoutSeconds, unretried, like a full load), then
    /// drop the one loaded before, best effort: a leftover adapter costs the engine memory, not correctness. No cache
    /// reset: both engines key prefix-cache entries by adapter.
    private async Task<(EngineEndpoint Engine, string Path, Exception? Error)> LoadAdapterAsync(EngineEndpoint e, string dir, int version)
    {
        var name = WeightVersionLabel.AdapterName(version);
        var (path, body) = _dialect.LoadAdapter(name, dir);
        try
        {
            var answer = await _reloadTimeout.ExecuteAsync(async t => await _http.PostAsync(e.Url + path, body.ToJsonString(), t, textAnswer: true)
                .ConfigureAwait(false)).ConfigureAwait(false);
            if (_dialect.AdapterLoadFailure(answer) is { } refused) throw new HttpRequestException($"adapter load refused: {refused}");
        }
        catch (Exception x) when (x is EngineRequestRejectedException || EngineResilience.IsTransient(x))
        {
            return LoadFailed(e, path, x);
        }
        var previous = e.Adapter;
        e.Adapter = name;
        e.Version = version;
        e.Down = false;
        if (previous is not null && previous != name) await UnloadAdapterAsync(e, previous).ConfigureAwait(false);
        return (e, path, null);
    }

    private async Task UnloadAdapterAsync(EngineEndpoint e, string name)
    {
        var (path, body) = _dialect.UnloadAdapter(name);
        try
        {
            await _reloadTimeout.ExecuteAsync(async t => await _http.PostAsync(e.Url + path, body.ToJsonString(), t, textAnswer: true)
                .ConfigureAwait(false)).ConfigureAwait(false);
        }
        catch (Exception x) when (x is EngineRequestRejectedException || EngineResilience.IsTransient(x))
        {
            _logger.LogInformation("Rollout engine {Url}{Path} did not drop adapter {Name} ({Reason}); it stays loaded", e.Url, path, name, Reason(x));
        }
    }

    /// Counts the failed load and marks the engine down until a later sync succeeds.
    private (EngineEndpoint Engine, string Path, Exception? Error) LoadFailed(EngineEndpoint e, string step, Exception x)
    {
        Interlocked.Increment(ref _syncFailures);
        e.Down = true;
        e.LastError = $"{step}: {Reason(x)}";
        _logger.LogWarning("Weight sync to {Url}{Path} failed ({Reason}); the engine gets no rollouts until it loads the weights",
            e.Url, step, Reason(x));
        return (e, step, x);
    }

    private static string Hint(HttpStatusCode status) => status switch
    {
        HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => " (check RolloutEngine:ApiKey)",
        HttpStatusCode.NotFound => " (check RolloutEngine:Urls and RolloutEngine:Dialect)",
        _ => "",
    };

    private static string Reason(Exception x) => x is TimeoutRejectedException t ? $"timed out after {t.Timeout.TotalSeconds:0.###} s" : x.Message;

    private string Describe() => string.Join("; ", _endpoints.Select(e => $"{e.Url} ({e.LastError ?? "ok"})"));

    public void Dispose() => _http.Dispose();
}
