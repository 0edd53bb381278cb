using System.Collections.Concurrent;
using RlTrainer.Rollout.Model;
using static TorchSharp.torch;

namespace RlTrainer.Trainer.Serving;

/// <summary>
/// The LoRA adapters `serve` holds: the launch adapter (--adapter, part of the served model) and those loaded at run
/// time under a name, each kept as a copy of its tensors (r·(in + out) values per adapted projection). The adapter a
/// batch asks for is attached to the model just before it runs; nothing is copied while consecutive batches use the
/// same one. Every method but <see cref="Dirs"/> runs on the generator's worker thread.
/// </summary>
internal sealed class ServedAdapters : IDisposable
{
    private sealed record Adapter(string Dir, string Label, LoraConfig Config, (string Key, Tensor Value)[] Tensors);

    private readonly Dictionary<string, Adapter> _byName = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _dirs = new(StringComparer.Ordinal);
    private Adapter? _launch;
    private Adapter? _attached;

    /// <param name="model">The served model, with the launch adapter attached when <paramref name="launchDir"/> is set.</param>
    public ServedAdapters(CausalLm model, string? launchDir)
    {
        if (launchDir is null) return;
        _launch = Snapshot(model, launchDir);
        _attached = _launch;
    }

    /// <summary>Name → folder of the adapters loaded at run time (any thread).</summary>
    public IReadOnlyDictionary<string, string> Dirs => _dirs;

    /// <summary>The weight label of a named adapter: its folder's name (step-000012 for the trainer's syncs).</summary>
    public string Label(string name) => _byName[name].Label;

    /// <summary>Attaches the named adapter (null: the launch model, with its launch adapter if any) to
    /// <paramref name="model"/>.</summary>
    /// <exception cref="AdapterNotFoundException">No adapter of that name is loaded.</exception>
    public void Attach(CausalLm model, string? name)
    {
        Adapter? wanted;
        if (name is null) wanted = _launch;
        else if (!_byName.TryGetValue(name, out wanted)) throw new AdapterNotFoundException(name, _byName.Keys);
        if (ReferenceEquals(wanted, _attached)) return;
        Detach(model);
        if (wanted is null) return;
        model.AddLora(wanted.Config, seed: 0);
        using var noGrad = no_grad();
        foreach (var ((_, p), (_, value)) in model.LoraParameters().Zip(wanted.Tensors)) p.copy_(value);
        _attached = wanted;
    }

    /// <summary>Reads the PEFT folder <paramref name="dir"/> onto the model (shapes checked against it) and keeps it
    /// under <paramref name="name"/>; on an error the model is left without adapters and nothing is kept.</summary>
    /// <exception cref="ServeRequestException">The name is taken.</exception>
    public void Load(CausalLm model, string name, string dir)
    {
        if (_byName.ContainsKey(name)) throw new ServeRequestException($"The LoRA adapter '{name}' has already been loaded: unload it first, or pick another \"lora_name\".");
        Detach(model);
        PeftAdapterFolder.Load(model, dir);
        var adapter = Snapshot(model, dir);
        _byName[name] = adapter;
        _dirs[name] = dir;
        _attached = adapter;
    }

    /// <exception cref="AdapterNotFoundException">No adapter of that name is loaded.</exception>
    public void Unload(CausalLm model, string name)
    {
        if (!_byName.Remove(name, out var adapter)) throw new AdapterNotFoundException(name, _byName.Keys);
        _dirs.TryRemove(name, out _);
        if (ReferenceEquals(adapter, _attached)) Detach(model);
        Dispose(adapter);
    }

    /// <summary>After a full weight reload the new model carries no adapter, and it is the launch model now.</summary>
    public void ModelReplaced()
    {
        _attached = null;
        if (_launch is not null) Dispose(_launch);
        _launch = null;
    }

    private void Detach(CausalLm model)
    {
        if (model.Lora is not null) model.DetachLora();
        _attached = null;
    }

    private static Adapter Snapshot(CausalLm model, string dir)
    {
        var tensors = model.LoraParameters().Select(p => (p.PeftName, p.Parameter.detach().clone())).ToArray();
        return new Adapter(dir, Path.GetFileName(Path.TrimEndingDirectorySeparator(dir)), model.Lora!, tensors);
    }

    private static void Dispose(Adapter a)
    {
        foreach (var (_, t) in a.Tensors) t.Dispose();
    }

    public void Dispose()
    {
        foreach (var a in _byName.Values) Dispose(a);
        if (_launch is not null) Dispose(_launch);
    }
}
