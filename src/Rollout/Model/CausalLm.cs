using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace RlTrainer.Rollout.Model;

/// <summary>
/// Decoder-only causal LM covering Hugging Face qwen2, qwen3 and llama: RMSNorm, RoPE (optionally llama3-scaled),
/// grouped-query attention, SwiGLU MLP, biases as config.json says, optional tied embeddings.
/// Parameter names equal the Hugging Face ones (model.layers.0.self_attn.q_proj.weight, ...), so checkpoints map 1:1.
/// </summary>
public sealed class CausalLm : nn.Module
{
    public ModelConfig Config { get; }
    public ComputeDevice Device { get; }

    /// <summary>
    /// Ids the logits cover: [0, LogitVocabSize). Checkpoints pad vocab_size past the tokenizer (every Qwen2/2.5/3 has
    /// 151936 embedding rows for 151,669 ids) and the padded rows must never be sampled nor enter a softmax, so the
    /// lm_head uses only the first LogitVocabSize rows: sampler, eval, serve and teacher-forced log-probs all see the
    /// same distribution. Equal to vocab_size until <see cref="UseTokenizerVocabulary"/> narrows it.
    /// </summary>
    public int LogitVocabSize { get; private set; }

    /// <summary>Decoder layers recompute their activations in backward (<see cref="ActivationCheckpoint"/>) when
    /// gradients are recorded; inference and KV-cached decoding are unaffected. Default off.</summary>
    public bool GradientCheckpointing { get; set; }

    private readonly Decoder _model;
    private readonly Linear? _lmHead;
    private readonly RotaryEmbedding _rope;

    public CausalLm(ModelConfig config, ComputeDevice device) : base("CausalLm")
    {
        Config = config;
        Device = device;
        _model = new Decoder(config);
        register_module("model", _model);
        if (!config.TieWordEmbeddings)
        {
            _lmHead = nn.Linear(config.HiddenSize, config.VocabSize, hasBias: false);
            register_module("lm_head", _lmHead);
        }
        _rope = new RotaryEmbedding(config);
        LogitVocabSize = config.VocabSize;
        this.to(device.Device, device.DType);
    }

    /// <summary>Restricts the logits to the <paramref name="tokenizerIds"/> ids a tokenizer defines (see
    /// <see cref="LogitVocabSize"/>). A tokenizer with more ids than vocab_size does not fit the model.</summary>
    /// <param name="source">The tokenizer's file or folder, for the error message.</param>
    public void UseTokenizerVocabulary(int tokenizerIds, string source)
    {
        EnsureTokenizerFits(Config.VocabSize, tokenizerIds, source);
        LogitVocabSize = tokenizerIds;
    }

    /// <summary>Throws <see cref="InvalidDataException"/> naming both numbers when a tokenizer of
    /// <paramref name="tokenizerIds"/> ids cannot drive a model of <paramref name="vocabSize"/> embedding rows.</summary>
    public static void EnsureTokenizerFits(int vocabSize, int tokenizerIds, string source)
    {
        if (tokenizerIds > vocabSize)
            throw new InvalidDataException($"{source}: the tokenizer defines {tokenizerIds} ids but the model's config.json has vocab_size {vocabSize}: the tokenizer does not fit this model.");
        if (tokenizerIds < 1) throw new InvalidDataException($"{source}: the tokenizer defines no ids.");
    }

    /// <summary>(V, C) weight of the output projection: lm_head, or the input embedding when tied.</summary>
    public Tensor LmHeadWeight => _lmHead?.weight ?? _model.EmbedTokens.weight!;

    /// <summary>
    /// Hidden states of the last layer (after the final norm).
    /// </summary>
    /// <param name="inputIds">(B, T) int64 token ids.</param>
    /// <param name="positionIds">(B, T) int64 rotary positions (per row: index among its non-pad tokens).</param>
    /// <param name="keyMask">(B, past + T) bool: which cached and new tokens are real (false = padding).</param>
    /// <param name="cache">KV cache to read from and append to; null for a full forward.</param>
    /// <returns>(B, T, C)</returns>
    public Tensor Hidden(Tensor inputIds, Tensor positionIds, Tensor keyMask, KvCache? cache = null)
    {
        using var scope = NewDisposeScope();
        long t = inputIds.shape[1];
        long past = cache?.Length ?? 0;
        var (cos, sin) = _rope.CosSin(positionIds, Device.DType);                 // (B, 1, T, hd) each
        var mask = AttentionBias(keyMask, past, t);                               // (B, 1, rep*T, past+T)
        bool checkpoint = GradientCheckpointing && cache is null && is_grad_enabled();
        var h = _model.Forward(inputIds, cos, sin, mask, cache, checkpoint);      // (B, T, C)
        cache?.Advance(t);
        return h.MoveToOuterDisposeScope();
    }

    /// <summary>Logits (B, T, LogitVocabSize) in the compute dtype from hidden states (B, T, C).</summary>
    public Tensor Logits(Tensor hidden)
    {
        var w = LmHeadWeight;
        if (LogitVocabSize == Config.VocabSize) return F.linear(hidden, w);
        using var real = w.narrow(0, 0, LogitVocabSize);                           // (V_tok, C): a view, no copy
        return F.linear(hidden, real);
    }

    /// <summary>Full forward: logits (B, T, V).</summary>
    public Tensor Forward(Tensor inputIds, Tensor positionIds, Tensor keyMask, KvCache? cache = null)
    {
        using var h = Hidden(inputIds, positionIds, keyMask, cache);
        return Logits(h);
    }

    /// <summary>A cache sized for this model: (B, kv heads, maxLength, head dim) per layer.</summary>
    public KvCache NewCache(long batch, long maxLength) =>
        new(Config.NumHiddenLayers, batch, Config.NumKeyValueHeads, maxLength, Config.HeadDim, Device);

    /// <summary>
    /// Additive attention bias: 0 where query i may see key j (j is real and j ≤ past + i), the dtype's lowest value
    /// elsewhere. A finite value rather than −inf keeps padded query rows (which see no real key) free of NaN.
    /// Repeated rep = heads / kv-heads times along the query axis to match the grouped query layout in Attention.
    /// </summary>
    private Tensor AttentionBias(Tensor keyMask, long past, long t)
    {
        long tk = past + t;
        var dev = Device.Device;
        // Scalars made here and disposed after use: this runs once per forward, i.e. per decoded token.
        using Scalar first = past.ToScalar(), end = tk.ToScalar();
        var queryPos = arange(first, end, FixedScalars.One, ScalarType.Int64, dev).unsqueeze(1);         // (T, 1)
        var keyPos = arange(FixedScalars.Zero, end, FixedScalars.One, ScalarType.Int64, dev).unsqueeze(0); // (1, Tk)
        var allowed = keyPos.le(queryPos).unsqueeze(0).unsqueeze(0)                            // (1, 1, T, Tk)
            .logical_and(keyMask.to(ScalarType.Bool).unsqueeze(1).unsqueeze(1));              // (B, 1, T, Tk)
        double lowest = Device.DType == ScalarType.Float32 ? float.MinValue : -3.0e38;       // bf16/f16 min ≈ −3.39e38 / −65504
        if (Device.DType == ScalarType.Float16) lowest = -65504.0;
        using var lowestValue = lowest.ToScalar();
        var bias = zeros(allowed.shape, Device.DType, dev).masked_fill(allowed.logical_not(), lowestValue);
        int rep = Config.NumAttentionHeads / Config.NumKeyValueHeads;
        return rep == 1 ? bias : bias.repeat(1, 1, rep, 1);
    }

    /// <summary>Number of parameters (tied embeddings counted once; attached adapters included).</summary>
    public long ParameterCount() => parameters().Sum(p => p.numel());

    // ---- LoRA ------------------------------------------------------------------------------------------------

    /// <summary>PEFT's prefix of every adapter key: PeftModel.base_model (LoraModel) .model (the HF model).</summary>
    public const string PeftKeyPrefix = "base_model.model.";

    /// <summary>The attached adapter's configuration; null without adapters (and after <see cref="MergeLora"/>).</summary>
    public LoraConfig? Lora => _model.Lora?.Config;

    /// <summary>The base model's parameters under their Hugging Face names, adapter tensors excluded: what a full
    /// checkpoint holds.</summary>
    public IEnumerable<(string Name, Parameter Parameter)> BaseParameters() =>
        named_parameters().Where(p => !IsAdapterParameter(p.name)).Select(p => (p.name, p.parameter));

    private static bool IsAdapterParameter(string name) => name.Contains($".{AdaptableLinear.AdapterA}.", StringComparison.Ordinal)
        || name.Contains($".{AdaptableLinear.AdapterB}.", StringComparison.Ordinal);

    /// <summary>
    /// Attaches a LoRA adapter to every targeted projection of every decoder layer, initialised as PEFT does (A
    /// Kaiming-uniform from a generator seeded with <paramref name="seed"/>, B zero: the logits are unchanged), and
    /// freezes every base parameter (requires_grad false, so they never get a .grad).
    /// </summary>
    /// <exception cref="ArgumentException">An invalid <paramref name="config"/>.</exception>
    /// <exception cref="InvalidOperationException">Adapters are already attached.</exception>
    public void AddLora(LoraConfig config, int seed)
    {
        if (_model.Lora is { } attached)
            throw new InvalidOperationException($"LoRA adapters (r={attached.Config.Rank}, {string.Join(",", attached.Config.ResolvedTargets())}) are already attached; merge them (MergeLora) before adding others.");
        config.Validate();
        var targets = config.ResolvedTargets();
        foreach (var (_, p) in BaseParameters()) p.requires_grad_(false);
        var lora = new LoraSwitch(config, seed, Device.Device);
        using var init = new Generator((ulong)seed);
        foreach (var (_, projection) in TargetedProjections(targets)) projection.Attach(lora, init, Device.Device);
        _model.Lora = lora;
    }

    /// <summary>
    /// Every adapter tensor with its PEFT key, in a stable order (layer, then <see cref="LoraConfig.AllTargets"/>,
    /// then A before B): base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight (r, in),
    /// ….lora_B.weight (out, r). Empty without adapters.
    /// </summary>
    public IReadOnlyList<(string PeftName, Parameter Parameter)> LoraParameters() =>
        TargetedProjections(LoraConfig.AllTargets).Where(p => p.Projection.HasAdapter).SelectMany(p => new[]
        {
            ($"{PeftKeyPrefix}{p.Name}.{AdaptableLinear.AdapterA}.weight", p.Projection.LoraA),
            ($"{PeftKeyPrefix}{p.Name}.{AdaptableLinear.AdapterB}.weight", p.Projection.LoraB),
        }).ToList();

    /// <summary>
    /// While the returned scope is open every forward (training, prefill, KV-cached decode) is the base model's: the
    /// reference policy without a second copy of the weights. Scopes may nest; the adapters return when the last one
    /// closes. A layer recomputed by activation checkpointing keeps the state its forward ran with.
    /// </summary>
    /// <exception cref="InvalidOperationException">No adapters are attached.</exception>
    public IDisposable AdaptersDisabled() =>
        (_model.Lora ?? throw new InvalidOperationException("no LoRA adapters are attached: there is nothing to disable.")).Disable();

    /// <summary>Folds W += α/r · B A into every adapted projection and removes the adapters (<see cref="Lora"/>
    /// becomes null); base parameters become trainable again.</summary>
    /// <exception cref="InvalidOperationException">No adapters are attached, or an AdaptersDisabled scope is open.</exception>
    public void MergeLora()
    {
        var lora = _model.Lora ?? throw new InvalidOperationException("no LoRA adapters are attached: there is nothing to merge.");
        if (lora.IsDisabled) throw new InvalidOperationException("cannot merge LoRA adapters while an AdaptersDisabled scope is open.");
        foreach (var (_, projection) in TargetedProjections(LoraConfig.AllTargets)) projection.Merge();
        ReleaseBase();
    }

    /// <summary>Removes the adapters without merging: a failed adapter load leaves the base model as it was, and a
    /// server that holds several adapters swaps one for another.</summary>
    public void DetachLora()
    {
        foreach (var (_, projection) in TargetedProjections(LoraConfig.AllTargets)) projection.Detach();
        ReleaseBase();
    }

    private void ReleaseBase()
    {
        _model.Lora = null;
        foreach (var (_, p) in BaseParameters()) p.requires_grad_(true);
    }

    /// (HF name such as "model.layers.0.self_attn.q_proj", projection) for the targeted names, layer by layer.
    private IEnumerable<(string Name, AdaptableLinear Projection)> TargetedProjections(IReadOnlyList<string> targets) =>
        _model.Layers.SelectMany((layer, i) => layer.Projections()
            .Where(p => targets.Contains(p.Name[(p.Name.IndexOf('.') + 1)..]))
            .Select(p => ($"model.layers.{i}.{p.Name}", p.Projection)));

    /// <summary>
    /// The weight to write for base parameter <paramref name="name"/> of a merged copy: W + α/r·B·A (a new tensor) for
    /// an adapted projection, null for every other parameter (write it as it is). The model is not changed.
    /// </summary>
    internal Tensor? MergedWeightOf(string name)
    {
        if (_model.Lora is null || !name.EndsWith(".weight", StringComparison.Ordinal)) return null;
        var projection = TargetedProjections(LoraConfig.AllTargets)
            .FirstOrDefault(p => p.Name == name[..^".weight".Length] && p.Projection.HasAdapter).Projection;
        return projection?.MergedWeight();
    }

    internal Decoder Model => _model;


    // ---- building blocks -------------------------------------------------------------------------------------

    /// RMSNorm as Hugging Face computes it: in float32, x · rsqrt(mean(x²) + eps), cast back, then · weight.
    internal sealed class RmsNorm : nn.Module
    {
        private readonly Scalar _eps;   // made once, disposed with the module: not converted implicitly per call

        public RmsNorm(long dim, double eps) : base("RmsNorm")
        {
            _eps = eps.ToScalar();
            register_parameter("weight", new Parameter(ones(dim)));
        }

        // Looked up on each call: Module.to(dtype/device) swaps the registered Parameter for a new one.
        private Parameter Weight => get_parameter("weight")!;

        public Tensor Forward(Tensor x)
        {
            using var scope = NewDisposeScope();
            var x32 = x.to(ScalarType.Float32);
            var meanSquare = x32.pow(FixedScalars.Two).mean(new long[] { -1 }, keepdim: true);   // (…, 1)
            var normed = x32 * meanSquare.add(_eps, FixedScalars.One).rsqrt();
            return (Weight * normed.to(x.dtype)).MoveToOuterDisposeScope();
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing) _eps.Dispose();
            base.Dispose(disposing);
        }
    }

    internal sealed class Attention : nn.Module
    {
        private readonly AdaptableLinear _q, _k, _v, _o;
        private readonly RmsNorm? _qNorm, _kNorm;
        private readonly int _heads, _kvHeads, _headDim, _layer;

        public Attention(ModelConfig c, int layer) : base("Attention")
        {
            _heads = c.NumAttentionHeads; _kvHeads = c.NumKeyValueHeads; _headDim = c.HeadDim; _layer = layer;
            _q = new AdaptableLinear(c.HiddenSize, _heads * _headDim, hasBias: c.QkvBias);
            _k = new AdaptableLinear(c.HiddenSize, _kvHeads * _headDim, hasBias: c.QkvBias);
            _v = new AdaptableLinear(c.HiddenSize, _kvHeads * _headDim, hasBias: c.QkvBias);
            _o = new AdaptableLinear(_heads * _headDim, c.HiddenSize, hasBias: c.OutputBias);
            register_module("q_proj", _q); register_module("k_proj", _k);
            register_module("v_proj", _v); register_module("o_proj", _o);
            if (c.QkNorm)
            {
                _qNorm = new RmsNorm(_headDim, c.RmsNormEps); _kNorm = new RmsNorm(_headDim, c.RmsNormEps);
                register_module("q_norm", _qNorm); register_module("k_norm", _kNorm);
            }
        }

        public IEnumerable<(string Name, AdaptableLinear Projection)> Projections() =>
            [("q_proj", _q), ("k_proj", _k), ("v_proj", _v), ("o_proj", _o)];

        /// x (B, T, C), cos/sin (B, 1, T, hd), bias (B, 1, rep*T, Tk) → (B, T, C)
        public Tensor Forward(Tensor x, Tensor cos, Tensor sin, Tensor bias, KvCache? cache)
        {
            using var scope = NewDisposeScope();
            long b = x.shape[0], t = x.shape[1];
            var q = _q.forward(x).view(b, t, _heads, _headDim);                 // (B, T, nh, hd)
            var k = _k.forward(x).view(b, t, _kvHeads, _headDim);               // (B, T, nkv, hd)
            var v = _v.forward(x).view(b, t, _kvHeads, _headDim).transpose(1, 2); // (B, nkv, T, hd)
            if (_qNorm is not null) { q = _qNorm.Forward(q); k = _kNorm!.Forward(k); } // qwen3: per-head norm before RoPE
            q = RotaryEmbedding.Apply(q.transpose(1, 2), cos, sin);              // (B, nh, T, hd)
            k = RotaryEmbedding.Apply(k.transpose(1, 2), cos, sin);              // (B, nkv, T, hd)
            if (cache is not null) (k, v) = cache.Append(_layer, k, v);          // (B, nkv, Tk, hd)

            // Grouped-query attention without copying K/V: head h uses kv head h / rep, so fold the rep query heads
            // of each kv head into the query-time axis: (B, nh, T, hd) → (B, nkv, rep*T, hd).
            int rep = _heads / _kvHeads;
            var qg = q.reshape(b, _kvHeads, rep * t, _headDim);
            var y = F.scaled_dot_product_attention(qg, k, v, attn_mask: bias);   // (B, nkv, rep*T, hd)
            y = y.view(b, _heads, t, _headDim).transpose(1, 2).reshape(b, t, _heads * _headDim); // (B, T, nh*hd)
            return _o.forward(y).MoveToOuterDisposeScope();                      // (B, T, C)
        }
    }

    internal sealed class Mlp : nn.Module
    {
        private readonly AdaptableLinear _gate, _up, _down;

        public Mlp(ModelConfig c) : base("Mlp")
        {
            _gate = new AdaptableLinear(c.HiddenSize, c.IntermediateSize, hasBias: c.MlpBias);
            _up = new AdaptableLinear(c.HiddenSize, c.IntermediateSize, hasBias: c.MlpBias);
            _down = new AdaptableLinear(c.IntermediateSize, c.HiddenSize, hasBias: c.MlpBias);
            register_module("gate_proj", _gate); register_module("up_proj", _up); register_module("down_proj", _down);
        }

        public IEnumerable<(string Name, AdaptableLinear Projection)> Projections() =>
            [("gate_proj", _gate), ("up_proj", _up), ("down_proj", _down)];

        /// SwiGLU: down(silu(gate(x)) · up(x)), (B, T, C) → (B, T, C)
        public Tensor Forward(Tensor x)
        {
            using var g = _gate.forward(x);
            using var a = F.silu(g);
            using var u = _up.forward(x);
            using var gu = a.mul_(u);
            return _down.forward(gu);
        }
    }

    internal sealed class DecoderLayer : nn.Module
    {
        private readonly RmsNorm _inputNorm, _postNorm;
        private readonly Attention _attn;
        private readonly Mlp _mlp;

        public DecoderLayer(ModelConfig c, int layer) : base("DecoderLayer")
        {
            _inputNorm = new RmsNorm(c.HiddenSize, c.RmsNormEps);
            _postNorm = new RmsNorm(c.HiddenSize, c.RmsNormEps);
            _attn = new Attention(c, layer);
            _mlp = new Mlp(c);
            register_module("self_attn", _attn); register_module("mlp", _mlp);
            register_module("input_layernorm", _inputNorm); register_module("post_attention_layernorm", _postNorm);
        }

        /// The projections adapters can target, by Hugging Face name relative to the layer, in LoraConfig.AllTargets order.
        public IEnumerable<(string Name, AdaptableLinear Projection)> Projections() =>
            _attn.Projections().Select(p => ("self_attn." + p.Name, p.Projection))
                .Concat(_mlp.Projections().Select(p => ("mlp." + p.Name, p.Projection)));

        public Tensor Forward(Tensor x, Tensor cos, Tensor sin, Tensor bias, KvCache? cache)
        {
            using var scope = NewDisposeScope();
            // Residuals as add(…, One): Tensor + Tensor converts its alpha 1 implicitly inside TorchSharp.
            var h = x.add(_attn.Forward(_inputNorm.Forward(x), cos, sin, bias, cache), FixedScalars.One);
            return h.add(_mlp.Forward(_postNorm.Forward(h)), FixedScalars.One).MoveToOuterDisposeScope();
        }
    }

    internal sealed class Decoder : nn.Module
    {
        public Embedding EmbedTokens { get; }
        private readonly ModuleList<DecoderLayer> _layers;
        private readonly RmsNorm _norm;

        /// The attached adapters' shared switch; null without adapters.
        public LoraSwitch? Lora { get; set; }

        public IEnumerable<DecoderLayer> Layers => _layers;

        public Decoder(ModelConfig c) : base("Decoder")
        {
            EmbedTokens = nn.Embedding(c.VocabSize, c.HiddenSize);
            _layers = new ModuleList<DecoderLayer>(Enumerable.Range(0, c.NumHiddenLayers).Select(i => new DecoderLayer(c, i)).ToArray());
            _norm = new RmsNorm(c.HiddenSize, c.RmsNormEps);
            register_module("embed_tokens", EmbedTokens); register_module("layers", _layers); register_module("norm", _norm);
        }

        public Tensor Forward(Tensor ids, Tensor cos, Tensor sin, Tensor bias, KvCache? cache, bool checkpoint)
        {
            using var scope = NewDisposeScope();
            var h = EmbedTokens.forward(ids);                                    // (B, T, C)
            // With a frozen embedding (LoRA) nothing entering the first checkpointed layer requires grad, and a
            // checkpointed block whose inputs need no grad is left out of backward (HF's enable_input_require_grads).
            if (checkpoint && !h.requires_grad) h.requires_grad_(true);
            foreach (var layer in _layers)
            {
                // Fixed per layer: adapters on/off and the dropout masks, repeated when backward recomputes the layer.
                var pass = Lora?.NextPass();
                h = checkpoint
                    ? ActivationCheckpoint.Run(x => RunLayer(pass, () => layer.Forward(x[0], x[1], x[2], x[3], null)), h, cos, sin, bias)
                    : RunLayer(pass, () => layer.Forward(h, cos, sin, bias, cache));
            }
            return _norm.Forward(h).MoveToOuterDisposeScope();
        }

        private static Tensor RunLayer(LoraSwitch.LayerPass? pass, Func<Tensor> layer)
        {
            if (pass is null) return layer();
            using (pass.Enter()) return layer();
        }
    }
}
