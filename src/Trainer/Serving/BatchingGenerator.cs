using System.Collections.Concurrent;
using RlTrainer.Rollout.Model;
using RlTrainer.Rollout.Sampling;
using RlTrainer.Rollout.Tokenization;

namespace RlTrainer.Trainer.Serving;

/// <summary>
/// The one thread that touches the model. HTTP handlers enqueue work and await it; the worker takes everything
/// queued, merges generation requests with identical sampling settings and adapter into shared batches (so concurrent
/// clients decode together), and applies weight reloads and adapter loads and unloads in arrival order between batches.
/// LoRA adapters are held by name (<see cref="ServedAdapters"/>); a request naming none samples the launch model.
/// </summary>
public sealed class BatchingGenerator : IDisposable
{
    private abstract record Work;
    private sealed record GenerateWork(IReadOnlyList<GenerationRequest> Requests, SamplingOptions Options, string? Adapter, string Key,
        TaskCompletionSource<IReadOnlyList<ServedCompletion>> Done) : Work;
    private sealed record ReloadWork(string Dir, string Label, TaskCompletionSource<string> Done) : Work;
    /// Dir null: unload.
    private sealed record AdapterWork(string Name, string? Dir, TaskCompletionSource<bool> Done) : Work;

    private readonly BlockingCollection<Work> _queue = new();
    private readonly Thread _worker;
    private readonly ComputeDevice _device;
    private readonly int _maxRows;
    private CausalLm _model;
    private readonly ServedAdapters _adapters;
    private string _version;

    public HfTokenizer Tokenizer { get; }
    public int VocabSize => _model.Config.VocabSize;
    /// <summary>Prompt plus completion tokens one row may hold (config max_position_embeddings).</summary>
    public int ContextLength => _model.Config.MaxPositionEmbeddings;
    /// <summary>The label of the weights now served ("0" for the launch model).</summary>
    public string WeightVersion => Volatile.Read(ref _version);
    /// <summary>Name → folder of the LoRA adapters loaded at run time.</summary>
    public IReadOnlyDictionary<string, string> Adapters => _adapters.Dirs;
    /// <summary>Generations served so far, by batch (tests and logs read it).</summary>
    public int BatchesRun { get; private set; }

    /// <param name="adapterDir">A LoRA adapter on top of the launch model (PEFT layout), or null.</param>
    public BatchingGenerator(string modelDir, ComputeDevice device, int maxRows, string? adapterDir = null)
    {
        Tokenizer = HfTokenizer.Load(modelDir);
        _device = device;
        _maxRows = maxRows;
        _model = Rollout.Model.AdaptedModel.Load(modelDir, adapterDir, device, Tokenizer);
        _model.eval();
        _adapters = new ServedAdapters(_model, adapterDir);
        _version = "0";
        _worker = new Thread(Loop) { IsBackground = true, Name = "serve-generator" };
        _worker.Start();
    }

    /// <param name="adapter">A LoRA adapter loaded with <see cref="LoadAdapterAsync"/>; null for the launch model. An
    /// unknown name fails the task with <see cref="AdapterNotFoundException"/>.</param>
    public Task<IReadOnlyList<ServedCompletion>> GenerateAsync(IReadOnlyList<GenerationRequest> requests, SamplingOptions options, string? adapter = null)
    {
        options.Validate();
        var key = adapter + "\u0002" + SamplingKey(options);
        var done = new TaskCompletionSource<IReadOnlyList<ServedCompletion>>(TaskCreationOptions.RunContinuationsAsynchronously);
        _queue.Add(new GenerateWork(requests, options, adapter, key, done));
        return done.Task;
    }

    /// <summary>Equal for sampling settings that may share a batch (the record's collections compare by reference).</summary>
    internal static string SamplingKey(SamplingOptions o) => string.Join("|", o.MaxNewTokens, o.Greedy, o.Temperature, o.TopP, o.TopK,
        string.Join("\u0001", o.StopStrings), string.Join(",", o.EosTokenIds.Order()));

    /// <summary>Reads the PEFT adapter folder <paramref name="dir"/> onto the base weights and keeps it as
    /// <paramref name="name"/>. Fails with <see cref="ServeRequestException"/> for a taken name, and with the
    /// folder's IO or format error.</summary>
    public Task LoadAdapterAsync(string name, string dir) => Enqueue(name, dir);

    /// <summary>Drops the adapter; fails with <see cref="AdapterNotFoundException"/> for an unknown name.</summary>
    public Task UnloadAdapterAsync(string name) => Enqueue(name, null);

    private Task Enqueue(string name, string? dir)
    {
        var done = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        _queue.Add(new AdapterWork(name, dir, done));
        return done.Task;
    }

    /// <summary>Loads the Hugging Face folder <paramref name="dir"/> in place of the current weights; returns the new label.</summary>
    public Task<string> ReloadAsync(string dir, string label)
    {
        var done = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        _queue.Add(new ReloadWork(dir, label, done));
        return done.Task;
    }

    private void Loop()
    {
        foreach (var first in _queue.GetConsumingEnumerable())
        {
            var pending = new List<Work> { first };
            while (pending[^1] is GenerateWork && _queue.TryTake(out var more)) pending.Add(more);
            var generations = pending.OfType<GenerateWork>().ToList();
            foreach (var group in generations.GroupBy(w => w.Key)) Run(group.ToList());
            if (pending[^1] is ReloadWork reload) Reload(reload);
            if (pending[^1] is AdapterWork adapter) Apply(adapter);
        }
    }

    private void Run(List<GenerateWork> works)
    {
        try
        {
            _adapters.Attach(_model, works[0].Adapter);
            var label = works[0].Adapter is { } name ? _adapters.Label(name) : _version;
            var all = works.SelectMany(w => w.Requests).ToArray();
            var sampler = new BatchSampler(_model, ids => Tokenizer.Decode(ids));
            var results = new List<GenerationResult>(all.Length);
            for (int start = 0; start < all.Length; start += _maxRows)
            {
                results.AddRange(sampler.Generate(all.Skip(start).Take(_maxRows).ToArray(), works[0].Options));
                BatchesRun++;
            }
            int offset = 0;
            foreach (var w in works)
            {
                w.Done.SetResult(results.Skip(offset).Take(w.Requests.Count).Select(r => new ServedCompletion(r, label)).ToList());
                offset += w.Requests.Count;
            }
        }
        catch (Exception e)
        {
            foreach (var w in works) w.Done.TrySetException(e);
        }
    }

    private void Reload(ReloadWork work)
    {
        try
        {
            var next = HfModelFolder.Load(work.Dir, _device, Tokenizer);
            next.eval();
            int vocab = next.Config.VocabSize;
            if (vocab != _model.Config.VocabSize)
            {
                next.Dispose();
                throw new InvalidDataException($"{work.Dir}: vocab size {vocab} differs from the served model's {_model.Config.VocabSize}.");
            }
            var old = _model;
            _model = next;
            old.Dispose();
            _adapters.ModelReplaced();
            _version = work.Label;
            work.Done.SetResult(_version);
        }
        catch (Exception e)
        {
            work.Done.TrySetException(e);
        }
    }

    private void Apply(AdapterWork work)
    {
        try
        {
            if (work.Dir is null) _adapters.Unload(_model, work.Name);
            else _adapters.Load(_model, work.Name, work.Dir);
            work.Done.SetResult(true);
        }
        catch (Exception e)
        {
            work.Done.TrySetException(e);
        }
    }

    public void Dispose()
    {
        _queue.CompleteAdding();
        _worker.Join(TimeSpan.FromSeconds(30));
        _adapters.Dispose();
        _model.Dispose();
    }
}
