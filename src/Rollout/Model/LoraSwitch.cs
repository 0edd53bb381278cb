using static TorchSharp.torch;

namespace RlTrainer.Rollout.Model;

/// <summary>
/// Run-time state every adapter of one model shares: whether the adapters are on (off inside
/// <see cref="CausalLm.AdaptersDisabled"/> scopes, which may nest) and where dropout draws its masks.
/// </summary>
/// <remarks>
/// A decoder layer runs inside a <see cref="LayerPass"/> that fixes both for the whole layer. Activation checkpointing
/// runs a layer twice (forward without a graph, again in backward); entering the same pass again repeats the on/off
/// choice and the dropout masks exactly, so gradients are those of the first forward even if a scope has closed or
/// other random numbers were drawn in between. Not thread-safe: one forward at a time, as with the KV cache.
/// </remarks>
internal sealed class LoraSwitch
{
    private readonly ulong _seed;
    private readonly Device _device;
    private long _passes;
    private int _disabledDepth;
    private LayerPass? _current;
    private Generator? _outsidePasses;

    public LoraSwitch(LoraConfig config, int seed, Device device)
    {
        Config = config;
        _device = device;
        // Dropout streams are derived from the adapter's seed, apart from the stream that initialised A.
        _seed = unchecked((ulong)seed * 0x9E3779B97F4A7C15UL + 0xD1B54A32D192ED03UL);
    }

    public LoraConfig Config { get; }

    public bool IsDisabled => _disabledDepth > 0;

    /// <summary>Adapters add their delta now: the running layer pass decides; outside any pass, the scopes do.</summary>
    public bool Enabled => _current?.Enabled ?? _disabledDepth == 0;

    /// <summary>The generator dropout draws from now: the running pass's own stream (a projection called outside any
    /// layer pass, which the model never does, gets one stream of its own).</summary>
    public Generator DropoutGenerator => _current?.Generator ?? (_outsidePasses ??= new Generator(_seed, _device));

    public IDisposable Disable()
    {
        _disabledDepth++;
        return new DisableScope(this);
    }

    /// <summary>The on/off state and a fresh dropout stream for one decoder layer's forward.</summary>
    public LayerPass NextPass() => new(this, _disabledDepth == 0, unchecked(_seed + (ulong)++_passes));

    private sealed class DisableScope(LoraSwitch owner) : IDisposable
    {
        private bool _closed;

        public void Dispose()
        {
            if (_closed) return;
            _closed = true;
            owner._disabledDepth--;
        }
    }

    /// <summary>One decoder layer's view of the adapters; <see cref="Enter"/> it around the layer's forward.</summary>
    internal sealed class LayerPass
    {
        private readonly LoraSwitch _owner;
        private readonly ulong _seed;
        private Generator? _generator;

        public LayerPass(LoraSwitch owner, bool enabled, ulong seed)
        {
            _owner = owner;
            _seed = seed;
            Enabled = enabled;
        }

        public bool Enabled { get; }

        /// Created on first use within each Enter and dropped on exit, so every run of the layer draws the same masks.
        public Generator Generator => _generator ??= new Generator(_seed, _owner._device);

        public IDisposable Enter()
        {
            var previous = _owner._current;
            _owner._current = this;
            return new Exit(this, previous);
        }

        private void DropGenerator()
        {
            _generator?.Dispose();
            _generator = null;
        }

        private sealed class Exit(LayerPass pass, LayerPass? previous) : IDisposable
        {
            public void Dispose()
            {
                pass._owner._current = previous;
                pass.DropGenerator();
            }
        }
    }
}
